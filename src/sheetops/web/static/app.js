// sheetops console: the drop zone and upload progress. No inline script anywhere, so the
// Content-Security-Policy can forbid it; without this file every form still works.
"use strict";

(function () {
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function listFiles(input, list) {
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " KB)";
      list.appendChild(item);
    });
  }

  ready(function () {
    var form = document.getElementById("upload-form");
    if (!form) { return; }
    var drop = document.getElementById("drop");
    var input = document.getElementById("files");
    var list = document.getElementById("chosen");
    var bar = document.getElementById("sending");
    var note = document.getElementById("sending-text");

    input.addEventListener("change", function () { listFiles(input, list); });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.remove("over");
      });
    });
    drop.addEventListener("drop", function (event) {
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) { return; }
      var transfer = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (file) { transfer.items.add(file); });
      Array.prototype.forEach.call(files, function (file) { transfer.items.add(file); });
      input.files = transfer.files;
      listFiles(input, list);
    });

    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData || !input.files.length) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) { bar.value = Math.round(100 * progress.loaded / progress.total); }
      });
      request.addEventListener("load", function () {
        if (request.responseURL && request.status < 400) {
          window.location.assign(request.responseURL);
        } else {
          document.open();
          document.write(request.responseText);
          document.close();
        }
      });
      request.addEventListener("error", function () { form.submit(); });
      bar.hidden = false;
      note.hidden = false;
      form.querySelector("button[type=submit]").disabled = true;
      request.send(new FormData(form));
    });
  });
})();
