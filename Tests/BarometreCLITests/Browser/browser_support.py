"""What the headless-Chromium checks share: a browser at a given size (a phone's viewport
emulated below 500 px, the narrowest desktop window), axe-core on a page, console errors."""
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def browser(width, height, phone=False):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={max(width, 500)},{height}"):
        options.add_argument(argument)
    if phone:
        # A desktop window cannot be narrower than 500 px: emulate the phone's viewport.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0, "touch": True}})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def axe_violations(driver, page):
    """axe-core (selenium-axe-python) on the page: its violations, named with the page."""
    from selenium_axe_python import Axe
    axe = Axe(driver)
    axe.inject()
    return [f"{page}: {v['id']} {[n['target'] for n in v['nodes']][:2]}" for v in axe.run()["violations"]]


def console_errors(driver):
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
