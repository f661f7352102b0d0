#!/usr/bin/env python3
"""Opens a report in headless Chromium (Selenium, Debian's chromium and chromedriver),
collects the browser console's errors, saves a screenshot, and prints a JSON summary.

    check_report.py REPORT.html SCREENSHOT.png [WIDTH]
"""
import json
import pathlib
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

report, screenshot = pathlib.Path(sys.argv[1]).resolve(), sys.argv[2]
width = int(sys.argv[3]) if len(sys.argv) > 3 else 1280
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},1600"):
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(report.as_uri())
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(width, min(max(height, 800), 6000))
    driver.save_screenshot(screenshot)
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    print(json.dumps({
        "title": driver.title,
        "lang": driver.execute_script("return document.documentElement.lang"),
        "svgs": driver.execute_script("return document.querySelectorAll('svg[role=img] title').length"),
        "headlines": driver.execute_script("return Array.from(document.querySelectorAll('.headlines li')).map(e => e.textContent)"),
        "externalRequests": driver.execute_script(
            "return performance.getEntriesByType('resource').filter(e => !e.name.startsWith('file:') && !e.name.startsWith('data:')).length"),
        "errors": errors,
    }))
finally:
    driver.quit()
