/* The review screen's keyboard and image zoom. Everything also works without this file: the buttons post
   their forms, and an image link opens the original picture. */
(function () {
  "use strict";
  var screen = document.querySelector("[data-testid=review-screen]");
  if (!screen) { return; }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function unzoom() {
    var open = document.querySelector(".rv-image.zoomed");
    if (open) { open.classList.remove("zoomed"); open.querySelector("a.zoom").focus(); }
    return !!open;
  }

  // Click an image: see it at full size (with its findings drawn on it); click again or Esc to close.
  screen.querySelectorAll(".rv-image a.zoom").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var figure = link.closest(".rv-image");
      var was = figure.classList.contains("zoomed");
      unzoom();
      if (!was) { figure.classList.add("zoomed"); }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && unzoom()) { event.preventDefault(); return; }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var key = event.key.toLowerCase();
    if (key === "a") {
      var approve = screen.querySelector("[data-key=a]");
      if (approve) { event.preventDefault(); approve.click(); }
    } else if (key === "r") {
      // R goes to the reasons: a return needs at least one, so the reviewer ticks them, then presses the button.
      var first = screen.querySelector("#return-form input[type=checkbox]");
      if (first) { event.preventDefault(); first.focus(); }
    } else if (key === "x") {
      var reason = screen.querySelector("#refuse-form input[name=reason]");
      if (reason) { event.preventDefault(); reason.focus(); }
    }
  });
})();
