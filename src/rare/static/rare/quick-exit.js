// Quick exit: the "Quick exit" link, or Escape pressed three times within two seconds, blanks the
// page at once and replaces the current history entry with the neutral exit page, so that Back
// does not show this page again. Without this file the link still works as an ordinary link.
(function () {
  "use strict";
  var control = document.querySelector("[data-quick-exit]");
  if (!control) {
    return;
  }
  var target = control.getAttribute("href");
  var presses = [];

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.documentElement.classList.add("quick-exit-leaving");
    document.title = "";
    try {
      window.sessionStorage.clear();
    } catch (ignored) {
      // Storage may be switched off; nothing to clear then.
    }
    window.location.replace(target);
  }

  control.addEventListener("click", leave);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.repeat) {
      return;
    }
    var now = Date.now();
    presses = presses.filter(function (at) {
      return now - at < 2000;
    });
    presses.push(now);
    if (presses.length >= 3) {
      leave();
    }
  });
})();
