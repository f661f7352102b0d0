#!/usr/bin/env python3
"""Opens a report in headless Chromium (Selenium, Debian's chromium and chromedriver) at a
given width (a phone's is emulated: Chromium's window cannot be narrower than 500 px),
collects the browser console's errors, runs axe-core (selenium-axe-python, when installed),
measures horizontal overflow and text smaller than 11 CSS px, saves a screenshot, and prints
a JSON summary.

    check_report.py REPORT.html SCREENSHOT.png [WIDTH [HEIGHT]]
"""
import json
import pathlib
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

report, screenshot = pathlib.Path(sys.argv[1]).resolve(), sys.argv[2]
width = int(sys.argv[3]) if len(sys.argv) > 3 else 1280
height = int(sys.argv[4]) if len(sys.argv) > 4 else 800
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={max(width, 500)},{height}"):
    options.add_argument(argument)
if width < 500:
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}})
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(report.as_uri())
    scroll_width = driver.execute_script("return document.documentElement.scrollWidth")
    inner_width = driver.execute_script("return window.innerWidth")
    # Text (outside SVG charts, which scroll in their own box) smaller than 11 CSS px.
    small_text = driver.execute_script("""
        return Array.from(document.querySelectorAll('body *')).filter(e =>
            !e.closest('svg') && e.getClientRects().length &&
            Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()) &&
            parseFloat(getComputedStyle(e).fontSize) < 11).map(e => e.tagName + ' ' + getComputedStyle(e).fontSize).slice(0, 10)""")
    try:
        from selenium_axe_python import Axe
        axe = Axe(driver)
        axe.inject()
        violations = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in axe.run()["violations"]]
        axe_ran = True
    except ImportError:
        violations, axe_ran = [], False
    # The report card's chart scrolls sideways on a phone: is every grade letter inside the
    # chart's visible box before any scrolling?
    grades_visible = driver.execute_script("""
        const fig = document.querySelector('.report-card figure.svg-chart');
        if (!fig) return null;
        const box = fig.getBoundingClientRect();
        const letters = [...fig.querySelectorAll('svg text[font-weight=bold]')];
        return letters.length > 0 && letters.every(t => { const r = t.getBoundingClientRect(); return r.left >= box.left && r.right <= box.right; });""")
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    full = driver.execute_script("return document.body.scrollHeight")
    if width >= 500:
        driver.set_window_size(width, min(max(full, 800), 6000))
    driver.save_screenshot(screenshot)
    print(json.dumps({
        "title": driver.title,
        "lang": driver.execute_script("return document.documentElement.lang"),
        "svgs": driver.execute_script("return document.querySelectorAll('svg[role=img] title').length"),
        "headlines": driver.execute_script("return Array.from(document.querySelectorAll('.headlines li')).map(e => e.textContent)"),
        "essentials": driver.execute_script("return Array.from(document.querySelectorAll('.essentiel .bc-row')).map(e => e.textContent)"),
        "externalRequests": driver.execute_script(
            "return performance.getEntriesByType('resource').filter(e => !e.name.startsWith('file:') && !e.name.startsWith('data:')).length"),
        "reportCardGradesVisible": grades_visible,
        "scrollWidth": scroll_width,
        "innerWidth": inner_width,
        "smallText": small_text,
        "axe": axe_ran,
        "violations": violations,
        "errors": errors,
    }))
finally:
    driver.quit()
