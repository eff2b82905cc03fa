// Copy and print buttons for the passphrase. Without JavaScript they stay
// hidden and the passphrase is still on the page to write down.
(function () {
  "use strict";
  var phrase = document.getElementById("passphrase");
  var copy = document.getElementById("copy-passphrase");
  var print = document.getElementById("print-passphrase");
  var status = document.getElementById("copy-status");
  if (!phrase) {
    return;
  }
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(phrase.textContent.trim()).then(function () {
        status.textContent = copy.getAttribute("data-done") || "✓";
      });
    });
  }
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () {
      window.print();
    });
  }
})();
