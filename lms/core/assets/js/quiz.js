// Progressive enhancement of the quiz form: save answers as the trainee goes, count down the time limit.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) { return; }
  var status = document.getElementById("autosave-status");
  var timer = null;
  function save() {
    var data = new FormData(form);
    data.delete("action");
    fetch(form.getAttribute("data-autosave"), { method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.status === 409) { return response.json().then(function (body) { window.location = body.result_url; }); }
        return response.json().then(function (body) {
          if (status) { status.textContent = response.ok ? form.getAttribute("data-saved-label") || "✔" : body.error; }
        });
      })
      .catch(function () { /* the server keeps the last saved answers; the buttons still work */ });
  }
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(save, 400); });
  var clock = document.querySelector(".timer[data-remaining]");
  if (clock) {
    var remaining = parseInt(clock.getAttribute("data-remaining"), 10);
    var label = clock.textContent;
    setInterval(function () {
      remaining = Math.max(remaining - 1, 0);
      var minutes = Math.floor(remaining / 60), seconds = remaining % 60;
      clock.textContent = label.replace(/\d+ min/, minutes + " min " + (seconds < 10 ? "0" : "") + seconds + " s");
      if (remaining === 0) { save(); }
    }, 1000);
  }
})();
