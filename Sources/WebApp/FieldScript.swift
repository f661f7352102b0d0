/// The application page's only script (served as `/static/field.js`; the pages work
/// without it). It
/// - shows the copy buttons and copies the message or script (Clipboard API, or a
///   selection and `execCommand("copy")` where the page is not a secure context);
/// - keeps the answer form's content in the browser's session storage while it is typed, and
///   puts it back after a reload that did not record it, saying so;
/// - sends the form with `fetch`: on success it follows the redirect; when the network
///   fails it keeps the page as it is and says that nothing is recorded yet. The form's
///   idempotency key travels with every retry, so an answer is recorded once however many
///   times it is sent (issue #14 item 4). Any other response is shown by sending the form
///   again the ordinary way (the same key: nothing is recorded twice).
enum FieldScript {
    static let source = """
        (function () {
          "use strict";
          var status = document.getElementById("copy-status");
          function selectAndCopy(node) {
            var range = document.createRange();
            range.selectNodeContents(node);
            var selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            try { return document.execCommand("copy"); } catch (e) { return false; }
          }
          Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
            button.hidden = false;
            button.addEventListener("click", function () {
              var node = document.getElementById(button.getAttribute("data-copy"));
              function said(ok) { if (status) { status.textContent = button.getAttribute(ok ? "data-done" : "data-failed"); } }
              if (navigator.clipboard && window.isSecureContext) {
                navigator.clipboard.writeText(node.textContent).then(function () { said(true); }, function () { said(selectAndCopy(node)); });
              } else {
                said(selectAndCopy(node));
              }
            });
          });

          var form = document.getElementById("answer");
          if (!form) { return; }
          var problem = document.getElementById("problem");
          if (problem) { problem.focus(); }
          var store = "barometre-answer-" + form.getAttribute("data-application");
          var fields = ["key", "date", "time", "note", "measures"];
          function save() {
            var draft = {};
            fields.forEach(function (name) { if (form.elements[name]) { draft[name] = form.elements[name].value; } });
            var level = form.querySelector("input[name=level]:checked");
            if (level) { draft.level = level.value; }
            try { sessionStorage.setItem(store, JSON.stringify(draft)); } catch (e) {}
          }
          function forget() { try { sessionStorage.removeItem(store); } catch (e) {} }
          if (form.getAttribute("data-recorded") === "true") {
            forget();
          } else if (!problem) {
            var draft = null;
            try { draft = JSON.parse(sessionStorage.getItem(store) || "null"); } catch (e) {}
            if (draft && (draft.level || draft.note || draft.measures)) {
              fields.forEach(function (name) { if (draft[name] !== undefined && form.elements[name]) { form.elements[name].value = draft[name]; } });
              if (draft.level) {
                Array.prototype.forEach.call(form.querySelectorAll("input[name=level]"), function (input) { input.checked = input.value === draft.level; });
              }
              document.getElementById("draft").hidden = false;
            }
          }
          form.addEventListener("input", save);
          form.addEventListener("change", save);
          var offline = document.getElementById("offline");
          form.addEventListener("submit", function (event) {
            if (!window.fetch || !window.URLSearchParams || !window.FormData) { return; }
            event.preventDefault();
            save();
            var button = form.querySelector("button[type=submit]");
            button.disabled = true;
            offline.hidden = true;
            fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin", redirect: "follow" })
              .then(function (response) {
                if (response.ok && response.redirected) {
                  forget();
                  window.location.assign(response.url);
                } else {
                  HTMLFormElement.prototype.submit.call(form);
                }
              })
              .catch(function () {
                button.disabled = false;
                offline.hidden = false;
                offline.focus();
              });
          });
        })();

        """
}
