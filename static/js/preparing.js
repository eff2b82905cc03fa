// The "being prepared" page (app/templates/preparing.html): ask the server
// every few seconds whether the file is built (a HEAD request answers 503
// while it is not) and open it as soon as it is, saying so in the status
// line, which screen readers announce. Without this script the page's link
// does the same by hand.
(function () {
  "use strict";
  var status = document.getElementById("preparing-status");
  if (!status || !window.fetch) {
    return;
  }
  var url = status.getAttribute("data-file");
  var delay = 1000 * Number(status.getAttribute("data-seconds") || 5);
  var triesLeft = 120; // ten minutes at five seconds
  status.textContent = status.getAttribute("data-waiting");

  function check() {
    fetch(url, { method: "HEAD", cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) {
          status.textContent = status.getAttribute("data-ready");
          window.location.assign(url);
        } else if (response.status === 503 && --triesLeft > 0) {
          window.setTimeout(check, delay);
        } else {
          status.textContent = status.getAttribute("data-failed");
        }
      })
      .catch(function () {
        if (--triesLeft > 0) {
          window.setTimeout(check, delay);
        }
      });
  }
  window.setTimeout(check, delay);
})();
