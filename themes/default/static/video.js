// The video shortcode: the player (and the video site's cookies and
// requests) loads only when the reader presses play. Without this script
// the figure is a link to the video.
(() => {
  if (window.klyngeVideo) return;
  window.klyngeVideo = true;
  const start = (figure) => {
    const frame = figure.querySelector(".video-frame");
    const button = figure.querySelector(".video-play");
    if (!frame || !button) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      const iframe = document.createElement("iframe");
      iframe.src = figure.dataset.embed;
      iframe.title = figure.dataset.title || "";
      iframe.allow = "autoplay; fullscreen; picture-in-picture";
      iframe.allowFullscreen = true;
      iframe.referrerPolicy = "strict-origin-when-cross-origin";
      frame.replaceChildren(iframe);
      iframe.focus();
    });
  };
  const all = () => document.querySelectorAll("figure.video[data-embed]").forEach(start);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
