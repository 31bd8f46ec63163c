// Lesson videos: the provider's player loads only when the reader presses "Charger la vidéo" (its cookies too).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-video-load]") : null;
    if (!button) { return; }
    var holder = button.closest(".video-consent");
    var src = holder && holder.getAttribute("data-video-src");
    if (!src || src.indexOf("https://") !== 0) { return; }
    var frame = document.createElement("iframe");
    frame.src = src + (src.indexOf("?") < 0 ? "?" : "&") + "autoplay=1";
    frame.title = holder.getAttribute("data-video-title") || "";
    frame.setAttribute("allow", "autoplay; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.className = "video-frame";
    holder.replaceWith(frame);
    frame.focus();
  });
})();
