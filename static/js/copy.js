// Copy buttons beside read-only fields (app/visits/templates/visits/_copy.html).
// Without JavaScript the buttons stay hidden, and the field is still there to
// select and copy by hand. The clipboard API needs a secure page (HTTPS, or
// the local machine); elsewhere the selection is copied the older way.
(function () {
  "use strict";

  function copySelection(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function enhance(button) {
    var id = button.getAttribute("data-copy");
    var field = document.getElementById(id);
    var status = document.getElementById(id + "-status");
    if (!field || !status) {
      return;
    }
    var say = function (ok) {
      status.textContent = button.getAttribute(ok ? "data-done" : "data-failed");
    };
    field.addEventListener("focus", function () {
      field.select();
    });
    button.hidden = false;
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () {
            field.select();
            say(true);
          },
          function () {
            say(copySelection(field));
          }
        );
      } else {
        say(copySelection(field));
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), enhance);
})();
