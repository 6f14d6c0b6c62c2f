/* The media library, opened by CKEditor's "Browse Server": hand the chosen
 * picture and its alt text back to the image dialog that opened it.
 *
 * CKEditor passes the dialog's number as CKEditorFuncNum; the page keeps it
 * in data-ckeditor-func-num. CKEDITOR.tools.callFunction sets the dialog's
 * URL field, then runs the function given, in which `this` is the dialog's
 * Browse Server button: it fills the "Alternative Text" field.
 */
;(() => {
  "use strict"

  function chooser(button, funcNum) {
    return () => {
      const editorWindow = window.opener
      if (!editorWindow || !editorWindow.CKEDITOR) {
        button.textContent = "The editor's window is closed"
        return
      }
      const altField = document.getElementById(button.dataset.altField)
      const alt = altField ? altField.value.trim() : ""
      editorWindow.CKEDITOR.tools.callFunction(funcNum, button.dataset.url, function () {
        const dialog = this.getDialog()
        const altInput = dialog && dialog.getContentElement("info", "txtAlt")
        if (altInput) {
          altInput.setValue(alt)
        }
      })
      window.close()
    }
  }

  function start() {
    const main = document.querySelector("[data-ckeditor-func-num]")
    if (!main) {
      return
    }
    const funcNum = Number(main.dataset.ckeditorFuncNum)
    for (const button of document.querySelectorAll(".media-library-choose")) {
      button.addEventListener("click", chooser(button, funcNum))
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start)
  } else {
    start()
  }
})()
