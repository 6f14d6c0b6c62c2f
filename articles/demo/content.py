"""The demo site's text: written for this project, shaped like the source page.

`{media}` in a body stands for MEDIA_URL, `{url:slug}` for another demo
page's address and `{go:slug}` for an affiliate link's /go/ address; the
loader fills them in.
"""

from datetime import date

CATEGORIES = [
    {
        "slug": "running-injuries",
        "title": "Are You Prone to Running Injuries?",
        "position": 1,
        "intro": (
            "<p>Most running injuries build up slowly: a niggle that is ignored for a week, "
            "a long run added too soon, a shoe that wore out months ago. The articles below "
            "describe the injuries runners meet most often, how to tell them apart and what "
            "helps them heal.</p>"
        ),
        "meta_description": (
            "Common running injuries explained: causes, recovery and a safe return."
        ),
    },
    {
        "slug": "running-gear",
        "title": "Running Gear",
        "position": 2,
        "intro": "<p>Shoes, clothing and gadgets that earn their place in a runner's kit.</p>",
        "meta_description": "Running shoes, clothing and gadgets, reviewed by a runner.",
    },
    {
        "slug": "breathing-and-training",
        "title": "Breathing and Training",
        "position": 3,
        "intro": "<p>How you breathe, sit, sleep and plan your weeks shapes how well you run.</p>",
        "meta_description": "Breathing, training habits and recovery for healthier running.",
    },
]

# Affiliate links, created before the articles that use them. The banner's
# picture is drawn by articles.demo.pictures.banner from "banner".
AFFILIATE_LINKS = [
    {
        "slug": "amazon-outlet",
        "name": "Amazon Outlet banner (pink)",
        "destination_url": "https://www.amazon.com/Outlet/b?node=517808",
        "merchant": "Amazon Associates",
        "tracking_tag": "runinjuryclinic-20",
        "kind": "banner",
        "banner_alt": "Amazon Outlet: overstock and end-of-season deals on running gear",
        "banner": {
            "headline": "Amazon Outlet",
            "tagline": "Overstock and end-of-season deals on running gear",
        },
        "notes": "The banner after the intro of the runner's knee article.",
    },
    {
        "slug": "knee-sleeve",
        "name": "Knee sleeve (Amazon)",
        "destination_url": "https://www.amazon.com/s?k=knee+compression+sleeve+running",
        "merchant": "Amazon Associates",
        "tracking_tag": "runinjuryclinic-20",
        "kind": "text",
        "notes": "Linked from the recovery list of the runner's knee article.",
    },
]

# The page the affiliate disclosure's "Learn more" opens (a flat page).
DISCLOSURE_PAGE = {
    "url": "/disclosure/",
    "title": "How this site earns money",
    "content": (
        "<p>Some links and banners on this site are affiliate links. When you follow one to a "
        "shop and buy something there, the shop pays us a small commission. You pay the same "
        "price either way.</p>"
        "<p>We take part in the Amazon Services LLC Associates Program, an affiliate "
        "advertising programme that lets sites earn fees by linking to Amazon's stores. As an "
        "Amazon Associate we earn from qualifying purchases.</p>"
        "<p>Affiliate links are marked “(affiliate link)”, and every page that carries one says "
        "so at the end of the article. We recommend a product only when we would use it "
        "ourselves; no shop pays for a place in our articles or sees what you read here.</p>"
    ),
}

RUNNERS_KNEE_BODY = """
<p>Runner's knee is the name runners give to a dull ache around or behind the kneecap.
It starts when the kneecap stops gliding cleanly in its groove at the end of the thigh bone
and the cartilage beneath it becomes irritated. Physiotherapists call it patellofemoral pain
syndrome, and it is the injury they see most often in runners: roughly a quarter of all
running injuries are of this kind.</p>
<p class="note"><strong>NOTE:</strong> If the pain sits on the outer side of your knee rather
than around the kneecap, read about <a href="{url:it-band-syndrome}">IT band syndrome</a>
first; it is a different problem with a different fix.</p>
<p>The ache usually grows on downhill stretches and on the way down a flight of stairs. The
knee may look a little puffy, and you may notice grinding or clicking as you bend it. A long
film or a long drive with the knee bent often makes it stiff and sore when you stand up.</p>
<p>Whatever you feel, a doctor or physiotherapist who examines your knee can tell you far
more than any article: ask for their advice before you treat yourself.</p>
<h2>What Causes Runner's Knee?</h2>
<p><img src="{media}demo/runners-knee-stairs.png"
alt="A runner's path climbing over green hills at sunrise" width="800" height="500"></p>
<p>The knee is rarely where the trouble starts. The kneecap is pulled by the muscles above and
below it, so anything that pulls it off its track shows up as knee pain: thigh muscles that
are weak compared with tight hamstrings, hips that let the knee drift inwards with every
stride, or a stride that lands far in front of the body.</p>
<p>Other things that often come before it:</p>
<ul>
<li>Adding distance or pace faster than the body can adapt</li>
<li>Training with no easy days or rest days</li>
<li>Cambered roads and rough trails</li>
<li>Stiff calves that change how the foot lands</li>
<li>Shoes that are worn out or wrong for your feet</li>
<li>Jumping straight back to full training after a break</li>
</ul>
<h2>Recovering from Runner's Knee</h2>
<p>The part of recovery nobody enjoys is rest. The irritated tissue needs time without
repeated loading, often a few weeks, before it calms down; running through the pain is the
surest way to turn a short setback into a long one.</p>
<p>While it settles, these are worth trying:</p>
<ul>
<li>Ice wrapped in a thin towel for fifteen minutes after activity</li>
<li>Switching between cold and warm packs once the first swelling is gone</li>
<li>Taking lifts instead of stairs and getting up often when you sit</li>
<li>Strengthening the front of the thigh, for example by walking backwards up a gentle slope</li>
<li>Straight leg raises while lying on your back</li>
<li>A supportive <a href="{go:knee-sleeve}">knee sleeve</a>, which keeps the joint warm and
can ease swelling</li>
</ul>
<p>Our guide to <a href="{url:injury-free-year}">an injury-free year</a> has more ways to take
charge of your recovery, and the page on <a href="{url:shin-splints}">shin splints</a> explains
how to rebuild mileage safely after any break.</p>
<p>Running in deep water with a flotation belt keeps your fitness going without any impact at
all, and it is the closest thing to running you can do while the knee heals.</p>
<p>A physiotherapist will usually give you exercises to balance the muscles around the hip and
knee; keep doing them after the pain has gone.</p>
<h2>Getting Back to Running</h2>
<p>When walking, stairs and a short jog no longer hurt, come back gently: short, flat, easy
runs on alternate days, adding a little each week. Stop if the ache returns.</p>
<p>Use the comeback to look at your form. A long stride that lands hard on the heel sends a lot
of force up through the knee; a slightly shorter, quicker stride with the foot landing under
the body is kinder to it. If your form caused the pain, the pain will come back unless the form
changes.</p>
<p>Have you had runner's knee? Tell us in the comments below what helped you, so other runners
can learn from it.</p>
"""

IT_BAND_BODY = """
<p>The iliotibial band is a thick strip of connective tissue running from the hip down the
outside of the thigh to just below the knee. When the area where it crosses the outer knee
gets irritated, runners feel a sharp, burning pain on the outside of the knee, often at the
same point in every run.</p>
<p class="note"><strong>NOTE:</strong> Pain around or behind the kneecap points to
<a href="{url:runners-knee}">runner's knee</a> instead.</p>
<h2>What Causes IT Band Syndrome?</h2>
<p>Weak hip muscles, a sudden jump in mileage and long runs on a sloping road surface are the
usual suspects. Downhill running makes it worse.</p>
<ul>
<li>Weak muscles on the outside of the hip</li>
<li>Always running the same direction on a track</li>
<li>Long downhill runs</li>
</ul>
<h2>Recovering from IT Band Syndrome</h2>
<p>Cut back to distances that do not bring on the pain, strengthen the hips, and ask a
physiotherapist to check how your knee tracks when you land. As always, see a medical
professional before you treat an injury yourself.</p>
"""


def simple_body(*paragraphs, heading=None, items=()):
    html = "".join(f"<p>{text}</p>" for text in paragraphs[:1])
    if heading:
        html += f"<h2>{heading}</h2>"
    html += "".join(f"<p>{text}</p>" for text in paragraphs[1:])
    if items:
        html += "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    return html


# (slug, title, category, publish time in the site's zone, picture colours or
# None for no image, image alt text, excerpt, meta description, body)
ARTICLES = [
    {
        "slug": "runners-knee",
        "meta_description": "What runner's knee is, why the kneecap aches on stairs and hills, and how rest and strength work bring you back.",
        "title": "What is Runner's Knee?",
        "category": "running-injuries",
        "published": (2024, 10, 21, 9, 15),
        "picture": ((120, 170, 215), (70, 140, 80), (250, 210, 90)),
        "image_alt": "A runner's path climbing over green hills at sunrise",
        "excerpt": "",
        "body": RUNNERS_KNEE_BODY,
        "toc_enabled": True,
        "updated_on": date(2025, 3, 4),
        "reviewed_by": "Dr Lena Park, sports physician (demo reviewer)",
        "reviewed_on": date(2025, 3, 1),
        "banner_after_intro": "amazon-outlet",
    },
    {
        "slug": "it-band-syndrome",
        "meta_description": "Pain on the outside of the knee at the same point in every run: the iliotibial band, and how to settle it.",
        "title": "IT Band Syndrome",
        "category": "running-injuries",
        "published": (2024, 10, 24, 16, 5),
        "picture": ((150, 180, 210), (90, 120, 70), (240, 160, 80)),
        "image_alt": "A trail bending around the side of a hill",
        "excerpt": "A sharp pain on the outside of the knee that arrives at the same point in "
        "every run is the classic sign of an irritated iliotibial band.",
        "body": IT_BAND_BODY,
    },
    {
        "slug": "shin-splints",
        "meta_description": "Why shins ache after running, how to tell shin splints from a stress fracture, and how to ease back in.",
        "title": "Shin Splints: Why Your Shins Ache After Running",
        "category": "running-injuries",
        "published": (2024, 10, 28, 7, 40),
        "picture": ((200, 170, 140), (160, 110, 80), (255, 230, 150)),
        "image_alt": "A dusty running track in warm evening light",
        "excerpt": "",
        "body": simple_body(
            "Shin splints is the everyday name for pain along the inner edge of the shin bone. "
            "It is common in new runners and in anyone who adds mileage in a hurry, and it "
            "usually settles when the load on the bone is reduced for a while.",
            "Rebuild slowly after any break: add no more than a tenth to your weekly distance, "
            "keep most runs easy and mix in soft surfaces such as grass or a woodland path.",
            heading="Rebuilding Your Mileage",
            items=(
                "Rest from running until walking is pain-free",
                "Cross-train on a bike",
                "See a doctor if the pain is sharp at one spot on the bone",
            ),
        ),
    },
    {
        "slug": "plantar-fasciitis",
        "meta_description": "Heel pain with the first steps of the morning: what plantar fasciitis is and what helps it heal.",
        "title": "Plantar Fasciitis: Heel Pain at First Light",
        "category": "running-injuries",
        "published": (2024, 11, 4, 18, 20),
        "picture": ((110, 140, 190), (60, 100, 130), (230, 230, 240)),
        "image_alt": "A quiet lakeside path under a pale morning sky",
        "excerpt": "",
        "body": simple_body(
            "If your first steps out of bed feel like stepping on a stone, the thick band under "
            "your foot may be irritated where it joins the heel. Runners with tight calves and "
            "those who suddenly run more are most at risk, and the pain often eases as the day "
            "goes on only to return after sitting.",
            "Calf stretches, rolling the sole of the foot over a cold bottle and supportive "
            "shoes around the house help many runners; a physiotherapist can advise on the rest.",
            heading="Easing Heel Pain",
        ),
    },
    {
        "slug": "whole-body-running",
        "meta_description": "Running with the spine, ribs and arms as well as the legs, and why it spreads the load.",
        "title": "Learn to Run With Your Whole Body",
        "category": "breathing-and-training",
        "published": (2024, 11, 13, 9, 30),
        "picture": ((170, 200, 230), (120, 160, 110), (255, 200, 120)),
        "image_alt": "An athletics track seen from the top bend",
        "excerpt": "Running is not only a job for the legs. When the spine, ribs and arms join "
        "in, each stride costs less and the knees and hips take less of the strain.",
        "body": simple_body(
            "Watch a relaxed runner and you see the whole body moving: the shoulders counter "
            "the hips, the ribs turn a little, the head floats. Learning to let that happen "
            "takes attention rather than effort.",
            "Spend a few minutes of each easy run noticing one part of the body at a time.",
            heading="Small Lessons, Every Run",
        ),
    },
    {
        "slug": "phone-carriers",
        "meta_description": "Belts, armbands and vests for carrying a phone on a run, compared by a runner.",
        "title": "Carrying Your Phone Without the Bounce",
        "category": "running-gear",
        "published": (2024, 11, 26, 11, 13),
        "picture": None,
        "image_alt": "",
        "excerpt": "",
        "body": simple_body(
            "Belts slide, armbands pinch and pockets flap. We tried the usual ways of carrying a "
            "phone on a run and list what worked for different distances and outfits.",
        ),
    },
    {
        "slug": "beach-running",
        "meta_description": "Soft sand, firm sand and the tide: how to enjoy running on the beach without sore calves.",
        "title": "Back to Running on the Beach",
        "category": "breathing-and-training",
        "published": (2024, 12, 13, 10, 37),
        "picture": ((130, 190, 230), (230, 210, 160), (255, 240, 170)),
        "image_alt": "A wide sandy beach below a clear blue sky",
        "excerpt": "Soft sand is hard work and firm sand is a gift. A few notes on enjoying the "
        "beach again without upsetting your calves and Achilles tendons.",
        "body": simple_body(
            "Sand asks more of the calves and Achilles tendons than a road does, so start with "
            "short runs on the firm sand near the water line and build up over a few weeks.",
        ),
    },
    {
        "slug": "sleep-and-recovery-trackers",
        "meta_description": "What sleep and recovery trackers measure, and how much a runner should trust them.",
        "title": "Do Sleep and Recovery Trackers Help Runners?",
        "category": "running-gear",
        "published": (2024, 12, 16, 7, 43),
        "picture": ((60, 70, 110), (40, 50, 80), (240, 240, 200)),
        "image_alt": "A night sky with a bright moon over dark hills",
        "excerpt": "",
        "body": simple_body(
            "Rings, watches and straps now estimate sleep, resting heart rate and readiness to "
            "train. Used with common sense they can warn you that a hard session should wait; "
            "treated as gospel they can make you anxious about a perfectly good night.",
        ),
    },
    {
        "slug": "nasal-breathing",
        "meta_description": "Breathing through the nose on easy runs: what it changes and how to start.",
        "title": "Breathing Through Your Nose on Easy Runs",
        "category": "breathing-and-training",
        "published": (2024, 12, 29, 12, 40),
        "picture": ((180, 210, 200), (100, 150, 130), (250, 250, 220)),
        "image_alt": "A misty meadow at dawn with a single path",
        "excerpt": "",
        "body": simple_body(
            "Slowing the breath and breathing through the nose on easy days keeps the pace "
            "honest, calms the nervous system and, for many runners, makes harder days feel "
            "easier over time.",
        ),
    },
    {
        "slug": "sitting-too-long",
        "meta_description": "Long days in a chair stiffen hips and weaken glutes; a few habits that undo it for runners.",
        "title": "Runners Sit Too Long Too",
        "category": "breathing-and-training",
        "published": (2025, 1, 3, 11, 46),
        "picture": ((200, 200, 210), (150, 150, 160), (250, 180, 120)),
        "image_alt": "An office window looking out on a grey city park",
        "excerpt": "",
        "body": simple_body(
            "An hour of running does not undo ten hours in a chair. Long spells of sitting "
            "stiffen the hips, switch off the glutes and leave the lower back doing work it "
            "was never meant to do, which is why many desk-bound runners get hurt even though "
            "they train with care.",
            "Stand up every half hour, take calls on your feet and walk at lunch.",
            heading="Breaking Up the Day",
        ),
    },
    {
        "slug": "injury-free-year",
        "meta_description": "The handful of habits that keeps most runners out of the physio's waiting room all year.",
        "title": "Make This the Year You Stay Injury-Free",
        "category": "breathing-and-training",
        "published": (2025, 1, 7, 8, 20),
        "picture": ((150, 200, 240), (110, 170, 90), (255, 220, 100)),
        "image_alt": "A runner's trail through a green valley in spring",
        "excerpt": "A handful of habits keeps most runners out of the physio's waiting room: "
        "patience with mileage, strength work twice a week and real rest days.",
        "body": simple_body(
            "Most injuries are training errors in disguise. Plan your year so each month builds "
            "on the last, with lighter weeks every so often.",
            heading="Habits That Protect You",
            items=(
                "Strength work twice a week",
                "One full rest day each week",
                "New shoes before the old ones are flat",
            ),
        ),
    },
    {
        "slug": "breathing-method",
        "meta_description": "Reduced-breathing methods for runners: what they promise, what the evidence says, and how to try one.",
        "title": "Can a Breathing Method Make You a Better Runner?",
        "category": "breathing-and-training",
        "published": (2025, 2, 14, 11, 54),
        "picture": ((160, 200, 220), (90, 150, 160), (255, 255, 230)),
        "image_alt": "A calm sea under a light blue sky",
        "excerpt": "Reduced-breathing methods promise calmer runs, better sleep and less stress. "
        "We look at what the practice involves, what runners report after a few months of "
        "using it and where the evidence is still thin, so you can decide whether to try it "
        "yourself this season.",
        "body": simple_body(
            "Breathing methods that teach you to breathe less, and mostly through the nose, "
            "have a loyal following among runners.",
        ),
    },
    {
        "slug": "waterproof-running-shoes",
        "meta_description": "Waterproof running shoes for wet trails and winter roads: when they help and when they do not.",
        "title": "Are You Ready for Waterproof Running Shoes?",
        "category": "running-gear",
        "published": (2025, 2, 26, 12, 30),
        "picture": ((210, 225, 240), (240, 245, 250), (250, 250, 255)),
        "image_alt": "A snowy trail under a pale winter sun",
        "excerpt": "",
        "body": simple_body(
            "Cold puddles, slush and icy trails make winter running miserable in mesh shoes. "
            "A waterproof pair with a grippy sole keeps your feet dry and your footing sure, "
            "though they run warmer and take longer to dry once water gets in over the top.",
        ),
    },
]
