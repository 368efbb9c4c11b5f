// Kept out of the page so that a Content-Security-Policy without 'unsafe-inline' can serve it.
window.onload = function () {
  window.ui = SwaggerUIBundle({ url: "/openapi", dom_id: "#swagger-ui", withCredentials: true });
};
