// "Copy" buttons: <button data-copy="input-id" data-copied="message" hidden>. Shown only where the clipboard
// can be written; the status next to it tells screen readers that the text was copied.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = document.querySelector('[data-copy-status="' + button.dataset.copy + '"]');
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) status.textContent = button.dataset.copied;
        field.select();
      });
    });
  });
})();
