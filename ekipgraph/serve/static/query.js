// The query page: YASGUI against this server's /sparql, the query library as one-click
// examples (parameters bound by the server, which checks their types), download links.
(function () {
  "use strict";
  const endpoint = new URL("/sparql", window.location.href).href;
  const status = document.getElementById("status");
  const downloads = document.getElementById("downloads");

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    // Offline: no LOV look-ups while typing; prefixes come from the bundled list.
    yasqe: { autocompleters: ["prefixes", "variables"] },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
  });
  window.ekipYasgui = yasgui;

  // A fresh editor starts from a question about the data with the prefixes it uses
  // (the server declares all of the project's prefixes anyway; these make it portable).
  const prefixes = JSON.parse(document.getElementById("yasgui").dataset.prefixes || "{}");
  const starter = yasgui.getTab().getYasqe();
  if (!starter.getValue().includes("ekip:")) {
    starter.setValue(
      ["ekip", "case", "city", "rdfs"].map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; }).join("\n") +
      "\n\nSELECT ?case ?caseLabel ?city WHERE {\n  ?case a ekip:CityCaseDescription ;\n" +
      "        rdfs:label ?caseLabel ;\n        ekip:aboutCity ?city .\n  FILTER(LANG(?caseLabel) = \"en\")\n}"
    );
  }

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function updateDownloads(tab) {
    const yasqe = tab.getYasqe();
    const query = yasqe.getValue();
    const type = (yasqe.getQueryType() || "").toUpperCase();
    const graph = type === "CONSTRUCT" || type === "DESCRIBE";
    downloads.querySelectorAll("span[data-form]").forEach(function (span) {
      span.hidden = span.dataset.form !== (graph ? "graph" : "solutions");
    });
    downloads.querySelectorAll("a[data-format]").forEach(function (link) {
      const params = new URLSearchParams({ query: query, format: link.dataset.format });
      link.href = endpoint + "?" + params.toString();
    });
    downloads.hidden = false;
  }

  yasgui.on("queryResponse", function (instance, tab) {
    say("");
    updateDownloads(tab);
  });

  // ekip IRIs in the results open this server's page of the resource, not w3id.org.
  document.getElementById("yasgui").addEventListener("click", function (event) {
    const link = event.target.closest("a[href^='https://w3id.org/ekip/']");
    if (!link) return;
    event.preventDefault();
    window.location.href = "/" + link.getAttribute("href").slice("https://w3id.org/ekip/".length);
  });

  async function runLibraryQuery(form) {
    if (!form.reportValidity()) return;
    const params = new URLSearchParams();
    form.querySelectorAll("input[name]").forEach(function (input) {
      if (input.value.trim()) params.set(input.name, input.value.trim());
    });
    say("Preparing " + form.dataset.name + " …");
    const response = await fetch("/api/queries/" + encodeURIComponent(form.dataset.name) + "?" + params);
    const answer = await response.json();
    if (!response.ok) {
      say(answer.error, true);
      return;
    }
    const tab = yasgui.getTab();
    tab.setQuery(answer.query);
    say("Running " + form.dataset.name + " …");
    tab.query();
  }

  document.querySelectorAll("form.library-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      runLibraryQuery(form).catch(function (error) { say(String(error), true); });
    });
  });
})();
