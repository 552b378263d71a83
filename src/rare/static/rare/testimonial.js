// Video testimonials: the page shows our own preview image and a link to the video. With this script
// the link becomes a button, and only when it is pressed is the player framed from youtube-nocookie.com.
// Nothing is requested from YouTube before that.
(function () {
  "use strict";
  if (window.rareTestimonials) {
    return;
  }
  window.rareTestimonials = true;

  var PLAYER = "https://www.youtube-nocookie.com/embed/";

  function play(container) {
    var source = container.getAttribute("data-video-src") || "";
    if (source.indexOf(PLAYER) !== 0) {
      return;
    }
    var frame = document.createElement("iframe");
    frame.src = source;
    frame.title = container.getAttribute("data-video-title") || "";
    frame.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen");
    frame.setAttribute("allowfullscreen", "");
    // The player refuses to start without knowing which site embeds it: send our origin, nothing more.
    frame.setAttribute("referrerpolicy", "strict-origin");
    container.replaceChildren(frame);
    container.classList.add("video--playing");
    frame.focus();
  }

  function enhance(container) {
    var link = container.querySelector("[data-video-play]");
    if (!link || container.hasAttribute("data-video-ready")) {
      return;
    }
    container.setAttribute("data-video-ready", "");
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    while (link.firstChild) {
      button.appendChild(link.firstChild);
    }
    button.addEventListener("click", function () {
      play(container);
    });
    link.replaceWith(button);
  }

  function enhanceAll() {
    document.querySelectorAll("[data-video]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})();
