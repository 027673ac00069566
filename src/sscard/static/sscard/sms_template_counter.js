// The SMS template admin: a live length count while typing (signature + text, variables left as typed;
// the server-side figure beside it uses sample values). Loaded through SmsTemplateAdmin.Media.
document.addEventListener('DOMContentLoaded', function () {
  var box = document.getElementById('id_body'); if (!box) return;
  var out = document.createElement('div'); out.className = 'help'; box.after(out);
  function update() {
    var t = '【' + box.dataset.smsSign + '】' + box.value, n = 0;
    for (var ch of t) n += ch.codePointAt(0) > 0xffff ? 2 : 1;
    var segs = n <= 70 ? 1 : Math.ceil(n / 67);
    out.textContent = '当前(含签名,变量未替换):' + n + ' 字,' + segs + ' 条短信';
  }
  box.addEventListener('input', update); update();
});
