"""Demo pictures drawn with Pillow, so the demo needs nothing downloaded."""

from io import BytesIO

from PIL import Image, ImageDraw, ImageFont


def landscape(*, sky, ground, accent, size=(800, 500)):
    """A simple scene (sky, hills, a sun and a running track) as PNG bytes."""
    width, height = size
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    for row in range(height // 2):
        shade = tuple(min(255, channel + row // 6) for channel in sky)
        draw.line([(0, row), (width, row)], fill=shade)
    draw.ellipse([width * 0.72, height * 0.1, width * 0.86, height * 0.32], fill=accent)
    draw.polygon(
        [
            (0, height * 0.62),
            (width * 0.3, height * 0.42),
            (width * 0.62, height * 0.6),
            (width * 0.85, height * 0.47),
            (width, height * 0.58),
            (width, height),
            (0, height),
        ],
        fill=ground,
    )
    track = tuple(max(0, channel - 40) for channel in ground)
    draw.polygon(
        [
            (width * 0.42, height),
            (width * 0.5, height * 0.6),
            (width * 0.54, height * 0.6),
            (width * 0.7, height),
        ],
        fill=track,
    )
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def banner(*, headline, tagline, size=(728, 90), background=(236, 72, 153), ink=(255, 255, 255)):
    """A flat advertising banner (a coloured band, a headline and a tagline) as PNG bytes."""
    width, height = size
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    darker = tuple(max(0, channel - 45) for channel in background)
    draw.rectangle([0, height - 8, width, height], fill=darker)
    draw.rounded_rectangle([width - 190, 22, width - 24, height - 24], radius=12, fill=ink)
    big = ImageFont.load_default(size=int(height * 0.36))
    small = ImageFont.load_default(size=int(height * 0.2))
    draw.text((24, height * 0.14), headline, font=big, fill=ink)
    draw.text((26, height * 0.58), tagline, font=small, fill=ink)
    draw.text((width - 107, height / 2 - 3), "Shop now", font=small, fill=background, anchor="mm")
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
