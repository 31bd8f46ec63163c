// Attendance: while a lesson or a quiz attempt is visible, tell the server every 30 seconds (active time, D6313-3-1).
// The server counts the person's time once, whatever the number of pages open (learning/attendance.py).
(function () {
  "use strict";
  var node = document.querySelector("[data-heartbeat]");
  if (!node || !window.fetch) { return; }
  var url = node.getAttribute("data-heartbeat"), token = node.getAttribute("data-csrf");
  function send(resume) {
    var body = new FormData();
    if (resume) { body.append("resume", "1"); }
    // keepalive: the heartbeat sent as the page is left (hidden) still arrives.
    fetch(url, { method: "POST", body: body, credentials: "same-origin", keepalive: true,
                 headers: { "X-CSRFToken": token } })
      .catch(function () {});
  }
  send(true);  // opening the page counts nothing yet
  setInterval(function () { if (document.visibilityState === "visible") { send(false); } }, 30000);
  document.addEventListener("visibilitychange", function () {
    // Hidden: count the time up to now. Visible again: start counting afresh (time away is not study time).
    send(document.visibilityState === "visible");
  });
})();
