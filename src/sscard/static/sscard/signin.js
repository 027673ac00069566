// Sign-in page: the "获取验证码" button counts down the seconds until another code may be sent, and a
// stale code error goes away when a new, different message about the code shows.
// The server stays the authority: it refuses an early request whatever this script shows, and tells
// the seconds left in data-retry-after (on the button when the page is drawn, on each status answer).
(function () {
  "use strict";
  var button = document.getElementById("send-code");
  if (!button) return;
  var label = button.textContent;
  var timer = null;

  function countDown(seconds) {
    if (timer) clearInterval(timer);
    var left = seconds;
    function tick() {
      if (left <= 0) {
        clearInterval(timer);
        timer = null;
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.disabled = true;
      button.textContent = "重新获取（" + left + "秒）";
      left -= 1;
    }
    tick();
    timer = setInterval(tick, 1000);
  }

  function clearStaleCodeError(message) {
    var error = document.getElementById("err_code");
    if (!error || error.textContent.trim() === message) return;
    var field = error.closest(".field");
    if (field) field.classList.remove("has-error");
    var input = document.getElementById("id_code");
    if (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
    error.remove();
  }

  var initial = parseInt(button.getAttribute("data-retry-after") || "0", 10);
  if (initial > 0) countDown(initial);

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "code-status") return;
    var status = event.detail.target.querySelector("[data-testid=code-status]");
    if (!status) return;
    clearStaleCodeError(status.textContent.trim());
    var seconds = parseInt(status.getAttribute("data-retry-after") || "0", 10);
    if (seconds > 0) countDown(seconds);
  });
})();
