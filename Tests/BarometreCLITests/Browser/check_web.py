#!/usr/bin/env python3
"""Drives the web app in headless Chromium (Selenium, Debian's chromium and chromedriver)
as its users would, and prints a JSON summary for the Swift test to check.

    check_web.py TESTER_LINK STAFF_LINK CAMPAIGN_ID SCREENSHOT_FOLDER

1. A tester opens their personal link in a phone-sized window (360 x 740), opens the first
   application of their list, picks an answer, writes a note and saves.
2. A researcher opens their link in a desktop-sized window and reads the campaign's page.
"""
import json
import pathlib
import sys
from urllib.parse import urlparse

from browser_support import axe_violations, browser, console_errors
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

tester_link, staff_link, campaign, shots = sys.argv[1], sys.argv[2], sys.argv[3], pathlib.Path(sys.argv[4])
shots.mkdir(parents=True, exist_ok=True)


result = {"errors": [], "violations": []}
phone = browser(360, 740, phone=True)
try:
    phone.get(tester_link)
    result["viewportWidth"] = phone.execute_script("return window.innerWidth")
    result["testerLanding"] = urlparse(phone.current_url).path
    result["tokenInAddressBar"] = tester_link.rsplit("/", 1)[1] in phone.current_url
    cookie = phone.get_cookie("barometre_session") or {}
    result["cookieHttpOnly"] = cookie.get("httpOnly")
    result["cookieSameSite"] = cookie.get("sameSite")
    result["cookieReadableByScript"] = "barometre_session" in phone.execute_script("return document.cookie")
    links = phone.find_elements(By.CSS_SELECTOR, "ul.items li a")
    result["listed"] = len(links)
    result["overflowList"] = phone.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
    phone.save_screenshot(str(shots / "tester-list-360.png"))
    result["violations"] += axe_violations(phone, "tester list")
    application = links[0].get_attribute("href").rsplit("/", 1)[1]
    result["application"] = application
    links[0].click()
    WebDriverWait(phone, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "input[name=level]"))
    # The answer: tap the "interview" choice, write a note, save.
    choice = phone.find_element(By.CSS_SELECTOR, "input[name=level][value=interview]")
    label = choice.find_element(By.XPATH, "..")
    result["choiceHeight"] = label.size["height"]
    label.click()
    phone.find_element(By.ID, "note").send_keys("Rappel reçu <b>mardi</b>")
    result["overflowForm"] = phone.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
    phone.save_screenshot(str(shots / "tester-form-360.png"))
    result["violations"] += axe_violations(phone, "application form")
    save = phone.find_element(By.CSS_SELECTOR, "button.primary")
    result["saveButtonWidth"] = save.size["width"]
    save.click()
    WebDriverWait(phone, 10).until(lambda d: "recorded=" in d.current_url)
    notice = phone.find_elements(By.CSS_SELECTOR, ".notice")
    result["notice"] = notice[0].text if notice else None
    result["historyNote"] = any("Rappel reçu <b>mardi</b>" in e.text for e in phone.find_elements(By.CSS_SELECTOR, ".card"))
    result["boldInjected"] = len(phone.find_elements(By.CSS_SELECTOR, "main b"))
    phone.save_screenshot(str(shots / "tester-recorded-360.png"))
    result["violations"] += axe_violations(phone, "answer recorded")
    result["errors"] += console_errors(phone)
finally:
    phone.quit()

desk = browser(1280, 900)
try:
    desk.get(staff_link)
    result["staffLanding"] = urlparse(desk.current_url).path
    desk.find_element(By.LINK_TEXT, campaign).click()
    WebDriverWait(desk, 10).until(lambda d: d.current_url.endswith("/staff/campaigns/" + campaign))
    result["staffPage"] = urlparse(desk.current_url).path
    rows = desk.find_elements(By.CSS_SELECTOR, "table")[0].find_elements(By.CSS_SELECTOR, "tbody tr")
    result["testerRows"] = [[c.text for c in row.find_elements(By.TAG_NAME, "td")] for row in rows]
    result["pageText"] = desk.find_element(By.TAG_NAME, "main").text
    result["sessionRows"] = len(desk.find_elements(By.CSS_SELECTOR, "form[action^='/staff/sessions/']"))
    result["violations"] += axe_violations(desk, "staff campaign")
    # The whole page (progress, overdue answers, open sessions, exports), for people to read.
    desk.set_window_size(1280, min(max(desk.execute_script("return document.body.scrollHeight"), 900), 6000))
    desk.save_screenshot(str(shots / "staff-campaign.png"))
    result["errors"] += console_errors(desk)
finally:
    desk.quit()

print(json.dumps(result))
