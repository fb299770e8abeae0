#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The citizen's pages in headless Chromium, by keyboard only (TAP): Tab,
typing and Enter, never a click. The online request end to end (the
first half caught by a real SMTP server), recovery (the halves caught
by the SMTP server and a local SMS gateway), first access, and on every
page an accessibility check written here: labels, unique ids, lang,
errors tied to their fields, a visible focus in a logical order."""
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ui'))
from spui import Tap  # noqa: E402

tap = Tap()
check = tap.check
CHROMIUM = os.environ.get('SP_CHROMIUM', '/usr/bin/chromium')
DRIVER = os.environ.get('SP_CHROMEDRIVER', '/usr/bin/chromedriver')
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
except ImportError as e:
    missing = str(e)
else:
    missing = None if os.path.exists(CHROMIUM) and os.path.exists(DRIVER) else 'chromium or chromium-driver'
if missing:
    # Only when the browser is really absent (CI installs it: build-aux/dev).
    print('1..0 # SKIP headless Chromium is not installed (%s): apt-get install chromium chromium-driver'
          ' python3-selenium' % missing)
    sys.exit(0)

import central as C  # noqa: E402
import pages as P  # noqa: E402
import receivers as R  # noqa: E402
from receivers import wait_for  # noqa: E402

HALF = re.compile(r'\b([A-Z2-9]{4} [A-Z2-9]{4})\b')


# The accessibility check, run in the page: a list of what is wrong.
AXE = r"""
const p = [];
if (document.documentElement.lang !== 'it') p.push('lang is not it');
if (!document.title.trim()) p.push('no title');
if (document.querySelectorAll('h1').length !== 1) p.push('not exactly one h1');
const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
ids.filter((x, i) => ids.indexOf(x) !== i).forEach(x => p.push('duplicate id ' + x));
const refs = e => (e.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
for (const g of document.querySelectorAll('fieldset[aria-describedby]'))
  refs(g).forEach(d => { if (!document.getElementById(d)) p.push('group describedby to nothing: ' + d); });
for (const i of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
  const l = i.id ? document.querySelector('label[for="' + CSS.escape(i.id) + '"]') : null;
  if (!(l && l.textContent.trim()) && !(i.getAttribute('aria-label') || '').trim())
    p.push('no label for ' + (i.name || i.id));
  refs(i).forEach(d => { if (!document.getElementById(d)) p.push('describedby to nothing: ' + d); });
  if (i.getAttribute('aria-invalid') === 'true'
      && !refs(i).some(d => { const e = document.getElementById(d);
                              return e && e.classList.contains('error-message') && e.textContent.trim(); }))
    p.push('error not tied to ' + i.name);
}
for (const e of document.querySelectorAll('.error-message'))
  if (!e.id || !document.querySelector('[aria-describedby~="' + e.id + '"]')) p.push('error tied to nothing');
for (const e of document.querySelectorAll('a, button'))
  if (!e.textContent.trim() && !(e.getAttribute('aria-label') || '').trim()) p.push('control without a name');
const s = document.getElementById('error-summary');
if (s) for (const a of s.querySelectorAll('a'))
  if (!document.getElementById(a.hash.slice(1))) p.push('summary links to nothing: ' + a.hash);
if (s && document.activeElement !== s) p.push('the error summary does not have the focus');
if (document.querySelector('script, [onclick], [onload]')) p.push('script in the page');
return p;
"""

FOCUSED = r"""
const e = document.activeElement;
const st = getComputedStyle(e);
return [e.id || (e.tagName + ':' + e.textContent.trim()).slice(0, 80),
        st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2];
"""

smtp = R.Smtp()
mailbox = smtp.mailbox
gateway = R.SmsGateway()
sms = gateway.received
profile = tempfile.mkdtemp(prefix='sp-chromium-')
srv = C.Central(citizens=20, env={
    'SP_LOCALEDIR': os.path.join(C.BUILD, 'po'),
    'SP_CENTRAL_SMTP_URL': 'smtp://127.0.0.1:%d' % smtp.port, 'SP_CENTRAL_SMTP_TLS': 'try',
    'SP_CENTRAL_SMTP_FROM': 'pin@inps.test', 'SP_CENTRAL_OUTBOX_RETRY_MS': '100',
    'SP_CENTRAL_SMS_URL': gateway.url, 'SP_CENTRAL_SMS_TOKEN': 't'})
driver = None
try:
    P.add_portal(srv)
    rows = P.registry_rows(srv, 3)
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--lang=it-IT',
              '--no-first-run', '--disable-extensions', '--user-data-dir=' + profile):
        opts.add_argument(a)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_page_load_timeout(30)

    def keys(*k):
        ActionChains(driver).send_keys(*k).perform()

    def focused():
        return driver.execute_script(FOCUSED)

    def tab_to(target, limit=40):
        """Tab until target has the focus; the ids met on the way."""
        page_ready()
        seen = []
        for _ in range(limit):
            keys(Keys.TAB)
            name, visible = focused()
            seen.append((name, visible))
            if name == target:
                return seen
        return seen

    def fill(values):
        """From the first field, type each value and Tab to the next."""
        tab_to('f-' + values[0][0])
        for i, (name, value) in enumerate(values):
            ok = focused()[0] == 'f-' + name
            if not ok:
                return 'focus on %s, not f-%s' % (focused()[0], name)
            # Select what is there and type over it, as a person would.
            ActionChains(driver).key_down(Keys.CONTROL).send_keys('a').key_up(Keys.CONTROL) \
                .send_keys(Keys.DELETE).perform()
            if value:
                keys(value)
            if i + 1 < len(values):
                keys(Keys.TAB)
        return None

    def submit():
        """Tab to the form's button and press Enter; wait for the next page."""
        old = driver.find_element('tag name', 'html')
        page_ready()
        button = wait_for(lambda: driver.find_elements('css selector', 'form button'), 20)
        if not button:
            raise RuntimeError('no form button on %s: %s' % (driver.current_url, driver.page_source[-800:]))
        tab_to('BUTTON:' + button[0].text)
        keys(Keys.ENTER)
        wait_for(lambda: not is_attached(old), 20)
        # The new page may still be loading, and Chromium moves the focus to an autofocus
        # element only at a later rendering step: wait for both, not for a time.
        page_ready()

    def page_ready():
        return wait_for(lambda: driver.execute_script('return document.readyState') == 'complete', 20)

    def summary_focused():
        return wait_for(lambda: focused()[0] == 'error-summary', 10)

    def is_attached(element):
        try:
            element.tag_name
            return True
        except Exception:
            return False

    def axe(name):
        problems = driver.execute_script(AXE)
        check('accessibility: %s' % name, problems == [], problems)

    def heading():
        return driver.find_element('tag name', 'h1').text

    # ---- the checker itself finds what it looks for ----
    driver.get(srv.url + '/cittadino/ambito')
    driver.execute_script("""
        document.documentElement.lang = 'en';
        document.querySelector('main').insertAdjacentHTML('beforeend',
          '<input id="x" name="nolabel"><p id="x">dup</p><input id="y" name="bad" aria-invalid="true">'
          + '<p class="error-message" id="lonely">e</p><button></button>');""")
    problems = driver.execute_script(AXE)
    check('the accessibility check catches a missing label, a duplicate id, lang, an untied error',
          {'lang is not it', 'duplicate id x', 'no label for nolabel', 'error not tied to bad',
           'error tied to nothing', 'control without a name'} <= set(problems), problems)

    # ---- the start page, by keys to the request form ----
    driver.get(srv.url + '/cittadino/')
    axe('the start page')
    seen = tab_to('BUTTON:none', limit=3)
    check('the first Tab reaches the skip link, with a visible focus', seen and seen[0][0].startswith('A:Vada al contenuto')
          and seen[0][1], seen)
    driver.get(srv.url + '/cittadino/')
    tab_to('A:Richieda il PIN online')
    keys(Keys.ENTER)
    check('Enter on the link opens the request form', wait_for(lambda: 'richiesta' in driver.current_url), driver.current_url)
    axe('the request form')

    # ---- the keyboard order is the reading order; the focus is always visible ----
    order = ['f-cf', 'f-surname', 'f-name', 'f-birth_date', 'f-street', 'f-postcode', 'f-city', 'f-province',
             'f-mobile', 'f-email', 'f-pec']
    seen = tab_to('BUTTON:Invii la richiesta')
    got = [n for n, _ in seen if n.startswith('f-')]
    check('Tab goes through the fields in the order of the form, then the button', got == order
          and seen[-1][0] == 'BUTTON:Invii la richiesta', seen)
    check('... every control shows a visible focus ring', all(v for _, v in seen), seen)

    # ---- an empty form: the summary takes the focus, errors tied ----
    submit()
    check('an empty form comes back with the error summary focused', summary_focused(), focused())
    axe('the request form with errors')
    keys(Keys.TAB)
    check('... Tab from the summary reaches its first link', focused()[0].startswith('A:Inserisca il Suo codice'),
          focused())

    # ---- the request end to end ----
    row = rows[0]
    y, m, d = row['birth_date'].split('-')
    fields = [('cf', row['cf'].lower()), ('surname', row['surname']), ('name', row['name']),
              ('birth_date', '%s/%s/%s' % (d, m, y)), ('street', row['street']), ('postcode', row['postcode']),
              ('city', row['city']), ('province', row['province']), ('mobile', ''),
              ('email', 'cittadino@example.it')]
    problem = fill(fields)
    check('the form is filled by Tab and typing alone', problem is None, problem)
    submit()
    check('the request is sent: "Richiesta inviata", on its own address', heading() == 'Richiesta inviata'
          and driver.current_url.endswith('/cittadino/esito?esito=inviata-email'), driver.page_source[-1500:])
    axe('the outcome page')
    got = wait_for(lambda: [t for to, t in mailbox.messages if to == ['cittadino@example.it']])
    half = HALF.search(got[0]) if got else None
    check('the first half reaches the SMTP server', half, mailbox.messages)
    check('... and is nowhere on the page', half and half.group(1) not in driver.page_source
          and half.group(1).replace(' ', '') not in driver.page_source)

    # ---- recovery: cf + a registered contact; the new halves by SMS and e-mail ----
    web = P.Citizen(srv)
    r = web.post('/cittadino/richiesta', P.form_of(rows[1], mobile='333 1112223', email='due@example.it'))
    check('(a second citizen with a mobile and an e-mail has a PIN)', 'Richiesta inviata' in r.body.decode(), r)
    wait_for(lambda: len(sms) == 1)
    driver.get(srv.url + '/cittadino/recupero')
    axe('the recovery form')
    problem = fill([('cf', rows[1]['cf']), ('contact', 'due@example.it')])
    check('the recovery form is filled by keys', problem is None, problem)
    submit()
    check('recovery: "Nuovo PIN inviato"', heading() == 'Nuovo PIN inviato', driver.page_source[-1500:])
    axe('the recovery outcome')
    first = wait_for(lambda: len(sms) == 2 and HALF.search(sms[1][1]['text']))
    second = wait_for(lambda: [HALF.search(t) for to, t in mailbox.messages if to == ['due@example.it']
                               and 'seconda parte' in t])
    check('the new first half arrives by SMS, the second by e-mail', first and second and second[0],
          (sms, mailbox.messages))
    whole = (first.group(1) + second[0].group(1)).replace(' ', '') if first and second and second[0] else ''
    check('... neither is on the page', whole and whole[:8] not in driver.page_source.replace(' ', '')
          and whole[8:] not in driver.page_source.replace(' ', ''))

    # ---- first access with the recovered PIN, by keys ----
    driver.get(srv.url + '/cittadino/')
    tab_to('A:Primo accesso: scelga il Suo PIN personale')
    keys(Keys.ENTER)
    check('Enter on the link opens first access', wait_for(lambda: 'primo-accesso' in driver.current_url and page_ready()),
          driver.current_url)
    axe('the first-access form')
    initial = '%s %s' % (whole[:8], whole[8:])
    problem = fill([('cf', rows[1]['cf']), ('pin', initial), ('new_pin', 'K7M2P9X4'), ('new_pin_again', 'K7M2P9X5')])
    check('the first-access form is filled by keys', problem is None, problem)
    submit()
    check('two different personal PINs: the summary has the focus, the PINs are not kept',
          summary_focused() and initial.split()[0] not in driver.page_source
          and 'K7M2P9X' not in driver.page_source, driver.page_source[-1500:])
    axe('the first-access form with errors')
    problem = fill([('cf', rows[1]['cf']), ('pin', initial), ('new_pin', 'k7m2p9x4'), ('new_pin_again', 'K7M2P9X4')])
    submit()
    check('first access: "PIN personale attivo"', not problem and heading() == 'PIN personale attivo',
          (problem, driver.page_source[-1500:]))
    axe('the first-access outcome')
    portal = srv.login('portal', 'a long password')
    r = srv.request('POST', '/v1/auth/pin', {'cf': rows[1]['cf'], 'pin': 'K7M2P9X4'}, token=portal)
    check('... the personal PIN chosen in the browser authenticates', r.status == 200, r)
finally:
    if driver:
        driver.quit()
    srv.cleanup()
    smtp.stop()
    gateway.stop()
    shutil.rmtree(profile, ignore_errors=True)

sys.exit(tap.finish())
