"""The structured data of injury articles: a MedicalWebPage about a
MedicalCondition, reviewed by a credentialed Person. Each property is
checked for its schema.org type, as a validator would."""

import json
import re
from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.taxonomy import tag_article
from tests.factories import (
    ArticleFactory,
    BodyRegionFactory,
    CategoryFactory,
    ReviewerFactory,
    SymptomFactory,
)

pytestmark = pytest.mark.django_db


def json_ld(client, url):
    """Every JSON-LD object on the page at `url`: exactly one is expected."""
    html = client.get(url).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def assert_iso_date(value):
    assert isinstance(value, str)
    date.fromisoformat(value)


def assert_iso_datetime(value):
    assert isinstance(value, str)
    assert datetime.fromisoformat(value).tzinfo is not None


@pytest.fixture
def injury(django_user_model):
    knee = BodyRegionFactory(name="knee", slug="knee", position=1)
    hip = BodyRegionFactory(name="hip", slug="hip", position=2)
    outside = SymptomFactory(region=knee, name="pain on the outside of the knee", position=1)
    downhill = SymptomFactory(region=knee, name="pain running downhill", position=2)
    author = django_user_model.objects.create_user("mei", first_name="Mei", last_name="Ng")
    article = ArticleFactory(
        title="IT Band Syndrome",
        condition_name="Iliotibial band syndrome",
        category=CategoryFactory(title="Running Injuries", slug="running-injuries"),
        author=author,
        updated_on=date(2025, 3, 4),
        reviewer=ReviewerFactory(name="Sam Okafor", credentials="PT, DPT", slug="sam-okafor"),
        reviewed_on=date(2025, 2, 10),
    )
    tag_article(article=article, symptoms=[downhill, outside], regions=[hip])
    return article


def test_an_injury_article_is_a_medical_web_page_about_a_medical_condition(client, injury):
    url = f"http://testserver{injury.get_absolute_url()}"
    page = json_ld(client, injury.get_absolute_url())
    assert page["@context"] == "https://schema.org"
    assert page["@type"] == "MedicalWebPage"
    assert page["url"] == url

    condition = page["mainEntity"]
    assert condition["@type"] == "MedicalCondition"
    assert condition["name"] == "Iliotibial band syndrome"
    assert [(s["@type"], s["name"]) for s in condition["signOrSymptom"]] == [
        ("MedicalSignOrSymptom", "pain on the outside of the knee"),
        ("MedicalSignOrSymptom", "pain running downhill"),
    ]
    assert [(a["@type"], a["name"]) for a in condition["associatedAnatomy"]] == [
        ("AnatomicalStructure", "knee"),
        ("AnatomicalStructure", "hip"),
    ]


def test_the_medical_page_names_its_reviewer_with_credentials_and_its_dates(client, injury):
    page = json_ld(client, injury.get_absolute_url())
    reviewer = page["reviewedBy"]
    assert reviewer["@type"] == "Person"
    assert reviewer["name"] == "Sam Okafor"
    assert reviewer["url"] == "http://testserver/reviewers/sam-okafor/"
    assert [(c["@type"], c["name"]) for c in reviewer["hasCredential"]] == [
        ("EducationalOccupationalCredential", "PT"),
        ("EducationalOccupationalCredential", "DPT"),
    ]
    assert_iso_date(page["lastReviewed"])
    assert page["lastReviewed"] == "2025-02-10"
    assert page["author"] == {"@type": "Person", "name": "Mei Ng"}
    assert_iso_datetime(page["datePublished"])
    assert page["datePublished"] == injury.published_at.isoformat()
    # The editor's "Updated" date, not the day the row was last saved.
    assert_iso_date(page["dateModified"])
    assert page["dateModified"] == "2025-03-04"
    crumbs = page["breadcrumb"]
    assert crumbs["@type"] == "BreadcrumbList"
    items = crumbs["itemListElement"]
    assert [item["@type"] for item in items] == ["ListItem"] * 3
    assert [item["position"] for item in items] == [1, 2, 3]
    assert [item["name"] for item in items] == [
        "Running Injury Clinic",
        "Running Injuries",
        "IT Band Syndrome",
    ]
    assert all(item["item"].startswith("http://testserver/") for item in items)


def test_without_a_medical_name_the_condition_takes_the_title_and_unset_parts_are_left_out(
    client,
):
    article = ArticleFactory(title="Shin Splints")
    tag_article(article=article, symptoms=[], regions=[BodyRegionFactory(name="shin")])
    page = json_ld(client, article.get_absolute_url())
    assert page["@type"] == "MedicalWebPage"
    assert page["mainEntity"] == {
        "@type": "MedicalCondition",
        "@id": f"http://testserver{article.get_absolute_url()}#condition",
        "name": "Shin Splints",
        "associatedAnatomy": [{"@type": "AnatomicalStructure", "name": "shin"}],
    }
    for absent in ["reviewedBy", "lastReviewed"]:
        assert absent not in page
    # Never updated: its last change is its publication.
    assert page["dateModified"] == page["datePublished"]


def test_an_article_about_gear_stays_an_article(client):
    article = ArticleFactory(title="Waterproof Shoes")
    page = json_ld(client, article.get_absolute_url())
    assert page["@type"] == "WebPage"
    assert page["mainEntity"]["@type"] == "Article"
    assert page["mainEntity"]["headline"] == "Waterproof Shoes"
    assert "MedicalCondition" not in json.dumps(page)


def test_tagging_an_article_changes_its_cached_structured_data(client):
    article = ArticleFactory()
    assert json_ld(client, article.get_absolute_url())["@type"] == "WebPage"
    tag_article(article=article, symptoms=[SymptomFactory(name="heel pain in the morning")])
    page = json_ld(client, article.get_absolute_url())
    assert page["@type"] == "MedicalWebPage"
    assert page["mainEntity"]["signOrSymptom"] == [
        {"@type": "MedicalSignOrSymptom", "name": "heel pain in the morning"}
    ]


def test_a_reviewer_profile_is_a_profile_page_about_a_person(client):
    reviewer = ReviewerFactory(
        name="Dr Lena Park",
        credentials="MD",
        biography="Sports physician.",
        profile_links="https://clinic.example/lena",
    )
    page = json_ld(client, reviewer.get_absolute_url())
    assert page["@type"] == "ProfilePage"
    person = page["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Dr Lena Park"
    assert person["description"] == "Sports physician."
    assert person["sameAs"] == ["https://clinic.example/lena"]
    assert person["hasCredential"] == [{"@type": "EducationalOccupationalCredential", "name": "MD"}]
    assert "email" not in json.dumps(page)


def test_a_name_cannot_break_out_of_the_structured_data(client):
    reviewer = ReviewerFactory(name="</script><script>alert(1)</script>", credentials="MD")
    article = ArticleFactory(reviewer=reviewer, reviewed_on=date(2025, 1, 1))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(client, article.get_absolute_url())["reviewedBy"]["name"] == reviewer.name
    assert get_user_model().objects.count() == 0
    assert reverse("articles:reviewer", kwargs={"slug": reviewer.slug}) in html


def test_find_pages_are_collection_pages_with_their_breadcrumb(client):
    symptom = SymptomFactory(
        name="pain behind the kneecap", region=BodyRegionFactory(name="knee", slug="knee")
    )
    page = json_ld(client, symptom.get_absolute_url())
    assert page["@type"] == "CollectionPage"
    assert page["name"] == "Pain behind the kneecap"
    names = [item["name"] for item in page["breadcrumb"]["itemListElement"]]
    assert names == [
        "Running Injury Clinic",
        "Find your injury",
        "Pain around the knee",
        "Pain behind the kneecap",
    ]
    assert json_ld(client, reverse("articles:find"))["name"] == "Find your injury"
