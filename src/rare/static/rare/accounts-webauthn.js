// Passkeys and security keys on the sign-in and security pages.
// Every control is a button marked data-webauthn="add|authenticate|login"; its data-* attributes name
// the elements allauth's webauthn.js needs, and data-webauthn-data holds the server's options as JSON.
// Needs allauth's webauthn-json.js and webauthn.js, served from our own host and loaded before this.
(function () {
  "use strict";

  function showError(button) {
    var box = document.getElementById(button.getAttribute("data-webauthn-error"));
    if (box) {
      box.hidden = false;
    }
  }

  function wire(button) {
    var forms = window.allauth && window.allauth.webauthn && window.allauth.webauthn.forms;
    if (!forms) {
      return;
    }
    var kind = button.getAttribute("data-webauthn");
    var raw = button.getAttribute("data-webauthn-data");
    var options = { ids: { credential: button.getAttribute("data-webauthn-credential") } };
    if (raw) {
      options.data = JSON.parse(raw);
    }
    if (kind === "add") {
      options.ids.add = button.id;
      options.ids.passwordless = button.getAttribute("data-webauthn-passwordless") || undefined;
      forms.addForm(options);
    } else if (kind === "authenticate") {
      options.ids.authenticate = button.id;
      forms.authenticateForm(options);
    } else if (kind === "login") {
      options.ids.login = button.id;
      forms.loginForm(options);
    }
    button.hidden = false;
  }

  document.addEventListener("allauth.error", function (event) {
    // A cancelled or failed browser prompt: say so on the page instead of in the console.
    event.preventDefault();
    document.querySelectorAll("[data-webauthn]").forEach(showError);
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.PublicKeyCredential) {
      document.querySelectorAll("[data-webauthn-unsupported]").forEach(function (note) {
        note.hidden = false;
      });
      return;
    }
    document.querySelectorAll("[data-webauthn]").forEach(wire);
  });
})();
