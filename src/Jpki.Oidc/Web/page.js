/* The provider's login and consent pages: run the card step, then post the authorization request back. */
(function () {
  'use strict';
  const status = document.getElementById('status');
  document.querySelectorAll('button[data-nonce]').forEach(function (button) {
    button.addEventListener('click', async function () {
      button.disabled = true;
      status.textContent = 'ローカルヘルパーの画面を確認し、そこで入力してください…';
      try {
        await JpkiLogin.run({
          nonceUrl: button.dataset.nonce,
          tokenUrl: button.dataset.token,
          helper: document.body.dataset.helper,
          certificate: button.dataset.certificate,
        });
        status.textContent = '確認できました。';
        document.getElementById('continue').submit();
      } catch (e) {
        status.textContent = e.message;
        status.dataset.code = e.code || 'error';
        button.disabled = false;
      }
    });
  });
})();
