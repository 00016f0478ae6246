window.casebookErrors = [];
window.addEventListener("error", function (e) {
  window.casebookErrors.push(String(e.message || (e.target && e.target.tagName) || e.type));
}, true);
document.addEventListener("securitypolicyviolation", function (e) {
  window.casebookErrors.push("CSP blocked " + e.violatedDirective + " " + e.blockedURI);
});
