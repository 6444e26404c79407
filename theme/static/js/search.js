// Site search on /suche/ with pagefind (plugins/search). The index and
// pagefind's JS/WebAssembly come from our own origin. Without JavaScript the
// page shows a message with links to the overviews instead of the form.
const form = document.querySelector("[data-search-form]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const noScript = document.querySelector("[data-search-nojs]");
const MAX_RESULTS = 20;

const OPTIONS = { excerptLength: 30 };

let engine = null;
let latest = 0;

// A large site's index comes in parts (plugins/search/parts.py): the first
// next to pagefind.js, the others listed in parts.json. Merged parts share
// the first part's WebAssembly, so it is downloaded once.
async function load() {
  const bundle = new URL(form.dataset.pagefind, window.location.href);
  const listed = fetch(new URL("parts.json", bundle));
  const pagefind = await import(bundle.href);
  await pagefind.options(OPTIONS);
  await pagefind.init();
  const response = await listed;
  const parts = response.ok ? (await response.json()).merge : [];
  await Promise.all(
    parts.map((folder) => pagefind.mergeIndex(new URL(folder, bundle).pathname, OPTIONS)),
  );
  return pagefind;
}

function pagefind() {
  engine ??= load();
  return engine;
}

function say(template, query, count) {
  return template.replace("{q}", query).replace("{n}", String(count));
}

// Pagefind's excerpt is escaped text with <mark> around hits. Rebuild it from
// text nodes and <mark> elements only, so nothing else can reach the page.
function excerptNodes(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  return Array.from(doc.body.firstElementChild.childNodes, (node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent);
  });
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "teaser search-result";
  const body = document.createElement("div");
  body.className = "teaser__body";
  const heading = document.createElement("h2");
  heading.className = "teaser__title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.append(...excerptNodes(data.excerpt));
  body.append(heading, excerpt);
  item.append(body);
  return item;
}

async function run(query) {
  const term = query.trim();
  const ticket = ++latest;
  if (!term) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  status.textContent = form.dataset.textSearching;
  const search = await (await pagefind()).search(term);
  const data = await Promise.all(
    search.results.slice(0, MAX_RESULTS).map((result) => result.data()),
  );
  if (ticket !== latest) return; // a newer query has started meanwhile
  list.replaceChildren(...data.map(resultItem));
  const count = search.results.length;
  const template =
    count === 0 ? form.dataset.textNone : count === 1 ? form.dataset.textOne : form.dataset.textCount;
  status.textContent = say(template, term, count);
}

function remember(query) {
  const url = new URL(window.location.href);
  if (query.trim()) url.searchParams.set("q", query.trim());
  else url.searchParams.delete("q");
  window.history.replaceState(null, "", url);
}

if (form) {
  const input = form.elements.q;
  // For browsers without the `scripting` media feature (see site.css).
  noScript.hidden = true;
  let timer;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    remember(input.value);
    run(input.value);
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      remember(input.value);
      run(input.value);
    }, 250);
  });
  const initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
}
