"""Elder mode (长辈模式) measured against MIIT's 《移动互联网应用(App)适老化通用设计规范》 (issue #11).

Every citizen page — public pages, sign-in, real-name binding, eligibility, the form steps, uploads,
confirm, acceptance and progress, my applications, family, corrections, 我的社保卡 and its actions, help,
an error page — is opened in Debian's Chromium at 360 and 390 px wide in elder mode, by citizens in the
states that reach them (no account yet, a draft, a submitted, a returned and an approved application, a
delivered card before and after activation, a card on temporary loss). On each page:

* axe-core (WCAG 2 A/AA) finds no serious or critical violation (axe-core comes inside the
  ``axe-playwright-python`` wheel; we inject its ``axe.min.js`` ourselves to choose the rules and read the
  results as a list);
* MIIT's numbers, measured by script in the page: text ≥ 18 px, line height ≥ 1.3 × the font size,
  every visible tappable control (links, buttons, inputs, selects, summaries, labels wrapping a checkbox,
  radio or file input) at least 60×60 CSS px, button text contrast ≥ 4.5:1, nothing animating, and no
  sideways scrolling.

MIIT's 60×60 rule is for controls. A link inside a sentence (a text node beside it in the same element,
e.g. "…请拨打12333 <a>帮助</a>") is part of the text, not a control: it is exempt from the size rule but
must be underlined and at least 18 px. A link standing alone (its element holds no other text) is a
control and must meet 60×60. A checkbox or radio wrapped in its label is tapped through the label, so the
label's box is the target.

The normal mode at 390 px must have no serious or critical axe violation on the same pages.
Screenshots go to ``artifacts/browser/elder/`` and ``artifacts/browser/normal-axe/``.
Needs /usr/bin/chromium (`.ci/run` installs it); skips with the reason when it is missing.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from tests.browser.test_browser_journey import ARTIFACTS, browser  # noqa: F401  (the shared browser fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
GOOD_PIN = "481592"

# Measures MIIT's numbers in the page and returns a list of [rule, element, detail] for what falls short.
MEASURE = r"""
() => {
  const out = [];
  const shown = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && s.opacity !== '0';
  };
  const name = el => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.getAttribute('name') || '')
      .trim().replace(/\s+/g, ' ').slice(0, 24);
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' "' + text + '"';
  };
  // 1. Text size and line height: every element holding its own visible text, and every form field.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const holders = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.nodeValue.trim()) continue;
    const el = node.parentElement;
    if (!el || el.closest('script,style,noscript,option,optgroup,template')) continue;
    holders.add(el);
  }
  document.querySelectorAll('input:not([type=hidden]):not([type=file]):not([type=checkbox]):not([type=radio]),select,textarea')
    .forEach(el => holders.add(el));
  for (const el of holders) {
    if (!shown(el)) continue;
    const s = getComputedStyle(el);
    const size = parseFloat(s.fontSize);
    if (size < 18) out.push(['text-size', name(el), size + 'px']);
    if (s.lineHeight === 'normal') out.push(['line-height', name(el), 'normal (about 1.2)']);
    else if (parseFloat(s.lineHeight) / size < 1.3 - 1e-3) out.push(['line-height', name(el), (parseFloat(s.lineHeight) / size).toFixed(2)]);
  }
  // 2. Tap targets.
  const inText = a => {
    const parent = a.parentElement;
    return Array.from(parent.childNodes).some(n => n.nodeType === Node.TEXT_NODE && n.nodeValue.trim());
  };
  const targets = new Set();
  document.querySelectorAll('a[href],button,input:not([type=hidden]),select,textarea,summary').forEach(el => {
    const wrapping = el.closest('label');
    if (el.matches('input[type=checkbox],input[type=radio],input[type=file]') && wrapping) targets.add(wrapping);
    else if (el.matches('input[type=checkbox],input[type=radio]')) targets.add(el);
    else if (!el.matches('input[type=file]')) targets.add(el);
  });
  for (const el of targets) {
    if (!shown(el)) continue;
    if (el.tagName === 'A' && inText(el)) {
      const s = getComputedStyle(el);
      if (!s.textDecorationLine.includes('underline')) out.push(['in-text-link-underline', name(el), s.textDecorationLine]);
      if (parseFloat(s.fontSize) < 18) out.push(['in-text-link-size', name(el), s.fontSize]);
      continue;
    }
    const r = el.getBoundingClientRect();
    if (r.width < 60 - 0.5 || r.height < 60 - 0.5) out.push(['target-size', name(el), Math.round(r.width) + 'x' + Math.round(r.height)]);
  }
  // 3. Button text contrast (axe checks all text; this is our own check on every button-like control).
  const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const backdrop = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  document.querySelectorAll('.btn,button,input[type=submit],.mode-switch').forEach(el => {
    if (!shown(el) || el.disabled) return;
    const fg = rgb(getComputedStyle(el).color).slice(0, 3);
    const bg = backdrop(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < 4.5) out.push(['button-contrast', name(el), ratio.toFixed(2) + ':1']);
  });
  // 4. Nothing moves: no running CSS animation or transition, no marquee, no self-refreshing page.
  const moving = document.getAnimations().filter(a => a.playState === 'running');
  if (moving.length) out.push(['moves', moving.map(a => a.animationName || a.transitionProperty || 'animation').join(','), moving.length]);
  if (document.querySelector('marquee,meta[http-equiv=refresh i]')) out.push(['moves', 'marquee or meta refresh', 1]);
  // 5. No sideways scrolling.
  if (document.documentElement.scrollWidth > window.innerWidth) out.push(['sideways-scroll', 'html', document.documentElement.scrollWidth + ' > ' + window.innerWidth]);
  return out;
}
"""

AXE_RUN = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => [
    v.id, v.impact, v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 160)),
  ]);
}
"""


def axe_script() -> Path:
    try:
        import axe_playwright_python
    except ImportError:  # a dev dependency; a clean `uv sync` has it
        pytest.skip("axe-playwright-python (dev dependency, ships axe-core) is not installed")
    return Path(axe_playwright_python.__file__).with_name("axe.min.js")


def signed_in_cookie(phone: str, *, elder: bool) -> str:
    """Sign in as the citizen's phone would (SMS code from the dev inbox) and return the session cookie."""
    from django.test import Client

    from tests.helpers import sign_in

    client = Client()
    sign_in(client, phone)
    if elder:
        client.post("/elder-mode/", {"next": "/"})
    return client.cookies["sessionid"].value


def citizens_and_pages(elder: bool) -> tuple[list[tuple[str | None, list[tuple]]], object]:
    """Citizens in every state a page needs, each with the pages to open, and the draft (whose files the test
    removes): ([(session cookie or None, [(name, path[, what to do there first])])], draft)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from sscard.accounts.models import Citizen
    from sscard.applications.models import Upload
    from sscard.cards import lifecycle as card_lifecycle
    from sscard.cards.services import activation, loss
    from sscard.delivery.models import Branch
    from sscard.demo.branches import demo_branches
    from sscard.privacy.fields import digest
    from tests.factories import ApplicationFactory, PersonFactory, make_id_number
    from tests.photo_fixtures import jpeg

    for row in demo_branches():
        Branch.objects.update_or_create(code=row["code"], defaults=row)

    def citizen(phone, **application):
        person = PersonFactory(name="黎明", id_number=make_id_number(born=datetime.date(1950, 3, 8)))
        account = Citizen.objects.create(phone=phone, person=person)
        made = ApplicationFactory(person=person, account=account, phone=phone, **application) if application else None
        return signed_in_cookie(phone, elder=elder), made

    anonymous = [("home", "/"), ("login", "/login/"), ("progress", "/progress/"), ("help", "/help/"),
                 ("branches", "/help/branches/"), ("not-found", "/no-such-page/")]
    # A new account without real-name binding.
    Citizen.objects.create(phone="13900000001")
    newcomer = signed_in_cookie("13900000001", elder=elder)
    # Eligible, no application yet: the eligibility verdict; then a draft with one photo uploaded.
    eligible, _ = citizen("13900000002")
    eligible_person = Citizen.objects.get(phone_digest=digest("13900000002")).person
    drafter, draft = citizen("13900000003", state="draft")
    data = jpeg()
    Upload.objects.create(application=draft, kind="id_front", file=ContentFile(data, name="id_front.jpg"), ok=True,
                          sha256="0" * 64, original_size=len(data))
    Upload.objects.create(application=draft, kind="portrait", file=ContentFile(data, name="portrait.jpg"), ok=False,
                          sha256="1" * 64, original_size=len(data),
                          problems=[{"code": "background_not_white", "message": "背景不是白色",
                                     "tip": "请站在白墙前重拍,不要用彩色背景"}])
    apply = f"/apply/{draft.public_id}"
    submitter, submitted = citizen("13900000004", submitted=True)
    returnee, returned = citizen("13900000005", returned=True)
    approvee, approved = citizen("13900000006", approved=True)
    # A delivered, not yet activated card; and a second citizen's card, activated and then on temporary loss.
    holder, delivered = citizen("13900000007", delivered=True)
    card = card_lifecycle.issue(actor="test", person=delivered.person, application=delivered, card_number="B12345678",
                                bank="中国银行中山分行", handed_over_at=timezone.now())
    loser, delivered2 = citizen("13900000008", delivered=True)
    active = card_lifecycle.issue(actor="test", person=delivered2.person, application=delivered2,
                                  card_number="B87654321", bank="中国银行中山分行", handed_over_at=timezone.now())
    activation.activate_online(active, actor="test", pin=GOOD_PIN, pin_confirm=GOOD_PIN, receipt_confirmed=True)
    loss.report_loss(active, "temporary", actor="test")
    # The eligible citizen applies for a parent too (亲情代办), so family lists a member.
    parent = PersonFactory(name="黎老伯", id_number=make_id_number(born=datetime.date(1940, 5, 6)))
    ApplicationFactory(person=parent, account=Citizen.objects.get(person=eligible_person),
                       relationship="parent", phone="13900000002")

    def search_progress(page):  # the public progress search, by the submitted applicant's name and ID number
        page.fill("#id_name", submitted.name)
        page.fill("#id_id_number", submitted.person.id_number)
        page.locator("form.card button[type=submit]").click()
        page.get_by_test_id("public-result").wait_for()

    def submit_empty(page):  # real-name binding refused: the messages in red under each field
        page.locator("[data-testid=realname-submit]").click()
        page.locator(".error").first.wait_for()

    return [
        (None, anonymous + [("progress-result", "/progress/", search_progress)]),
        (newcomer, [("realname", "/realname/"), ("realname-refused", "/realname/", submit_empty), ("my-unbound", "/my/")]),
        (eligible, [("eligibility", "/apply/"), ("family", "/family/"), ("cards-none", "/cards/"),
                    ("change-phone", "/account/phone/")]),
        (drafter, [("step-contact", f"{apply}/contact/"), ("step-address", f"{apply}/address/"),
                   ("step-pickup", f"{apply}/pickup/"), ("step-uploads", f"{apply}/uploads/"),
                   ("step-confirm", f"{apply}/confirm/"), ("draft-detail", f"{apply}/"), ("my-draft", "/my/")]),
        (submitter, [("acceptance", f"/apply/{submitted.public_id}/"),
                     ("correct-waiting", f"/apply/{submitted.public_id}/correct/"), ("my", "/my/")]),
        (returnee, [("returned-detail", f"/apply/{returned.public_id}/"),
                    ("correct-returned", f"/apply/{returned.public_id}/correct/")]),
        (approvee, [("approved-detail", f"/apply/{approved.public_id}/"),
                    ("pickup-change", f"/apply/{approved.public_id}/pickup-change/")]),
        (holder, [("cards", "/cards/"), ("card-activate", f"/cards/{card.pk}/activate/"),
                  ("card-loss", f"/cards/{card.pk}/loss/"), ("card-pin-reset-inactive", f"/cards/{card.pk}/pin-reset/")]),
        (loser, [("cards-lost", "/cards/"), ("card-lift", f"/cards/{active.pk}/lift/"),
                 ("card-pin-reset", f"/cards/{active.pk}/pin-reset/"), ("card-loss-lost", f"/cards/{active.pk}/loss/")]),
    ], draft


def walk(live_server, browser, *, width: int, elder: bool, shots: Path) -> dict[str, list]:  # noqa: F811
    """Open every page; return {page: [problem, …]} for the pages with problems."""
    from django.core.cache import cache

    from tests.helpers import delete_uploads, last_login_code

    cache.clear()
    axe_source = axe_script().read_text(encoding="utf-8") + "\n;true"
    groups, draft = citizens_and_pages(elder)
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob(f"{width}-*.png"):
        old.unlink()
    problems: dict[str, list] = {}

    def check(page, name):
        # Evaluated through the DevTools protocol, so the site's Content-Security-Policy stays on (an injected
        # <script> tag would be refused by it, and bypass_csp would hide what the citizen's browser does).
        page.evaluate(axe_source)
        found = [("axe",) + tuple(v) for v in page.evaluate(AXE_RUN, AXE_TAGS)]
        if elder:
            assert "elder" in (page.locator("body").get_attribute("class") or ""), f"{name}: not in elder mode"
            found += [tuple(p) for p in page.evaluate(MEASURE)]
        page.screenshot(path=str(shots / f"{width}-{name}.png"), full_page=True)
        if found:
            problems[name] = found

    try:
        for cookie, pages in groups:
            context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN",
                                          device_scale_factor=1)
            if cookie:
                context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
            page = context.new_page()
            if cookie is None and elder:  # the mode switch itself, as a visitor finds it
                page.goto(live_server.url + "/")
                page.get_by_test_id("elder-toggle").click()
                page.wait_for_load_state()
            for name, path, *then in pages:
                page.goto(live_server.url + path)
                for action in then:
                    action(page)
                check(page, name)
            if cookie is None:  # the sign-in page after asking for a code (the resend countdown, if any)
                page.goto(live_server.url + "/login/")
                page.fill("#id_phone", "13812345678")
                page.get_by_test_id("send-code").click()
                page.get_by_test_id("code-status").wait_for()
                assert last_login_code()
                check(page, "login-code-sent")
            context.close()
    finally:
        delete_uploads(draft)
    return problems


def report(problems: dict[str, list]) -> str:
    return "\n".join(f"{page}: {p}" for page, found in problems.items() for p in found)


@pytest.mark.parametrize("width", [360, 390])
def test_elder_mode_meets_miit_numbers_on_every_citizen_page(live_server, browser, width):  # noqa: F811
    problems = walk(live_server, browser, width=width, elder=True, shots=ARTIFACTS / "elder")
    assert not problems, f"elder mode at {width} px:\n{report(problems)}"


def test_normal_mode_has_no_serious_axe_violations(live_server, browser):  # noqa: F811
    problems = walk(live_server, browser, width=390, elder=False, shots=ARTIFACTS / "normal-axe")
    assert not problems, f"normal mode at 390 px:\n{report(problems)}"
