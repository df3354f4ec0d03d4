// Repairs to markup that Django's own admin scripts make, on every admin page.
(function () {
  "use strict";
  // The filter boxes of a many-to-many field (SelectFilter2.js) put an aria-label on a bare
  // <span> (the magnifier icon), which ARIA forbids; as an image, it may carry its name.
  function nameTheIcons() {
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
  }
  // SelectFilter2.js builds the boxes on the window's load event, registered before this one.
  window.addEventListener("load", nameTheIcons);
})();
