"""Check every active affiliate destination and record what the merchant answered."""

from django.conf import settings
from django.core.management.base import BaseCommand

from affiliates.checks import check_links
from affiliates.models import AffiliateLink


class Command(BaseCommand):
    help = (
        "Check the destination of every active affiliate link (HEAD, then GET when HEAD is "
        "refused) and record the status code, final address and time on each link."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Check only these links (by slug).")
        parser.add_argument(
            "--timeout",
            type=float,
            default=settings.AFFILIATE_CHECK_TIMEOUT,
            help="Seconds to wait for each answer (default: %(default)s).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.AFFILIATE_CHECK_WORKERS,
            help="How many links to check at once (default: %(default)s).",
        )

    def handle(self, *args, slugs, timeout, workers, **options):
        links = AffiliateLink.objects.active().order_by("slug")
        if slugs:
            links = links.filter(slug__in=slugs)
        links = list(links)
        if not links:
            self.stdout.write("No active affiliate links to check.")
            return
        self.stdout.write(f"Checking {len(links)} links, {workers} at a time…")
        results = check_links(
            links=links, timeout=timeout, workers=workers, progress=self._progress
        )
        counts = {}
        for result in results.values():
            counts[result.health] = counts.get(result.health, 0) + 1
        summary = ", ".join(
            f"{label.lower()}: {counts.get(value, 0)}"
            for value, label in AffiliateLink.Health.choices
            if value != AffiliateLink.Health.UNCHECKED
        )
        style = self.style.ERROR if counts.get(AffiliateLink.Health.BROKEN) else self.style.SUCCESS
        self.stdout.write(style(f"Done. {summary}."))

    def _progress(self, done, total, link, result):
        code = result.status_code if result.status_code is not None else "-"
        label = AffiliateLink.Health(result.health).label
        self.stdout.write(
            f"[{done}/{total}] {link.slug}: {label} ({code}, {result.elapsed_ms} ms) "
            f"{result.message}"
        )
