// The quick exit (base.html): go to a neutral site at once, replacing the
// current page in the history so that "Back" does not return here. Works from
// the button and from the keyboard (Esc twice within a second). Without this
// script the button is still a plain link to the same site.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) {
    return;
  }
  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.body.style.visibility = "hidden";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  // The shortcut works now, so its hint may show; the stylesheet shows it only
  // where there is a keyboard and a mouse, never on a touch screen.
  var hint = document.getElementById("quick-exit-hint");
  if (hint) {
    hint.hidden = false;
  }
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var now = Date.now();
    if (now - lastEscape < 1000) {
      leave(event);
    }
    lastEscape = now;
  });
})();
