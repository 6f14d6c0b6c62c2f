/* CKEditor 4 in the admin: send Django's CSRF token with every upload.
 *
 * CKEditor posts a token of its own making as `ckCsrfToken` with both kinds
 * of upload (the image dialog's Upload tab and paste/drop). The upload URL is
 * wrapped in Django's csrf_protect, which accepts that field only when it
 * holds Django's token (articles/uploads.py: accept_ckeditor_token).
 */
;(() => {
  "use strict"

  function djangoCsrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]")
    if (input) {
      return input.value
    }
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)
    return match ? decodeURIComponent(match[1]) : ""
  }

  function useDjangoToken() {
    if (!window.CKEDITOR) {
      setTimeout(useDjangoToken, 50)
      return
    }
    window.CKEDITOR.tools.getCsrfToken = djangoCsrfToken
  }

  useDjangoToken()
})()
