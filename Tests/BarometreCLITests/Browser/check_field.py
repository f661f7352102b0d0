#!/usr/bin/env python3
"""A volunteer with only a phone (390 px wide) does a call test in headless Chromium:

    check_field.py TESTER_LINK SCREENSHOT_FOLDER

1. opens the personal link, reads the day's list (stage tabs, search box);
2. opens the first application: the offer, the number to call (a tel: link), the identity
   to play, the call script; taps "copy" and reads the confirmation;
3. picks an answer, loses the network, taps save: the page says nothing is recorded yet and
   keeps what was typed; the network comes back, save again: one answer recorded;
4. the same pages at desktop width. axe-core runs on every page at both widths.
Prints a JSON summary for the Swift test.
"""
import json
import pathlib
import sys

from browser_support import axe_violations, browser, console_errors
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

tester_link, shots = sys.argv[1], pathlib.Path(sys.argv[2])
shots.mkdir(parents=True, exist_ok=True)


def full_page(driver, name, width):
    height = driver.execute_script("return document.documentElement.scrollHeight")
    if width >= 500:
        driver.set_window_size(width, min(max(height, 700), 5000))
    else:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": min(max(height, 700), 5000), "deviceScaleFactor": 2, "mobile": True})
    driver.save_screenshot(str(shots / name))


result = {"errors": [], "violations": []}
phone = browser(390, 844, phone=True)
try:
    phone.get(tester_link)
    result["viewportWidth"] = phone.execute_script("return window.innerWidth")
    result["tabs"] = [a.text for a in phone.find_elements(By.CSS_SELECTOR, "ul.tabs a")]
    result["searchBox"] = len(phone.find_elements(By.CSS_SELECTOR, "input[type=search]"))
    links = phone.find_elements(By.CSS_SELECTOR, "ul.items li a")
    result["listed"] = len(links)
    result["listHeight"] = phone.execute_script("return document.documentElement.scrollHeight")
    result["overflow"] = [p for p in ["list"] if phone.execute_script("return document.documentElement.scrollWidth > window.innerWidth")]
    result["violations"] += axe_violations(phone, "list 390")
    full_page(phone, "field-list-390.png", 390)
    application = links[0].get_attribute("href").rsplit("/", 1)[1]
    result["application"] = application
    phone.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    links[0].click()
    WebDriverWait(phone, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "input[name=level]"))
    result["telLinks"] = [a.get_attribute("href") for a in phone.find_elements(By.CSS_SELECTOR, "a[href^='tel:']")]
    result["script"] = phone.find_element(By.ID, "document-body").text
    result["headings"] = [h.text for h in phone.find_elements(By.CSS_SELECTOR, "main h2")]
    copy = phone.find_element(By.CSS_SELECTOR, "button[data-copy=document-body]")
    result["copyVisible"] = copy.is_displayed()
    copy.click()
    WebDriverWait(phone, 5).until(lambda d: d.find_element(By.ID, "copy-status").text)
    result["copyStatus"] = phone.find_element(By.ID, "copy-status").text
    if phone.find_elements(By.CSS_SELECTOR, "[data-copy]"):
        result["selection"] = phone.execute_script("return String(window.getSelection())")
    result["violations"] += axe_violations(phone, "application 390")
    # The answer, then the network drops.
    phone.find_element(By.CSS_SELECTOR, "input[name=level][value=visit_offered]").find_element(By.XPATH, "..").click()
    phone.find_element(By.ID, "note").send_keys("Rappel de l'agence, visite samedi")
    phone.execute_cdp_cmd("Network.enable", {})
    phone.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    phone.find_element(By.CSS_SELECTOR, "button.primary").click()
    WebDriverWait(phone, 10).until(lambda d: d.find_element(By.ID, "offline").is_displayed())
    result["offlineMessage"] = phone.find_element(By.ID, "offline").text
    result["offlineFocused"] = phone.execute_script("return document.activeElement && document.activeElement.id")
    result["keptNote"] = phone.find_element(By.ID, "note").get_attribute("value")
    result["keptLevel"] = phone.execute_script("var c = document.querySelector('input[name=level]:checked'); return c && c.value")
    result["stillOnPage"] = phone.current_url.endswith("/applications/" + application)
    full_page(phone, "field-offline-390.png", 390)
    phone.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    # The network is back: save again.
    phone.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    phone.find_element(By.CSS_SELECTOR, "button.primary").click()
    WebDriverWait(phone, 10).until(lambda d: "recorded=" in d.current_url)
    result["notice"] = (phone.find_elements(By.CSS_SELECTOR, ".notice") or [None])[0].text
    result["historyCards"] = len([c for c in phone.find_elements(By.CSS_SELECTOR, ".card") if "Rappel de l'agence" in c.text])
    result["violations"] += axe_violations(phone, "recorded 390")
    full_page(phone, "field-application-390.png", 390)
    result["errors"] += [e["message"] for e in phone.get_log("browser")
                         if e["level"] in ("SEVERE", "ERROR") and "ERR_INTERNET_DISCONNECTED" not in e["message"] and "Failed to fetch" not in e["message"]]
    cookies = phone.get_cookies()
finally:
    phone.quit()

desk = browser(1280, 900)
try:
    desk.get(tester_link)
    result["violations"] += axe_violations(desk, "list 1280")
    full_page(desk, "field-list-1280.png", 1280)
    desk.set_window_size(1280, 900)
    desk.get(desk.current_url.split("/applications")[0] + "/applications/" + result["application"])
    result["violations"] += axe_violations(desk, "application 1280")
    full_page(desk, "field-application-1280.png", 1280)
    result["errors"] += [e["message"] for e in desk.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
finally:
    desk.quit()

print(json.dumps(result))
