// Sorting of every table.sortable and filtering of the portfolio table; the page reads fully without it.
// The filter lives in the address's fragment (#stage=Approved&q=data) so that a link shares it.
"use strict";

function cellValue(row, column, kind) {
  const cell = row.cells[column];
  const raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
  if (kind !== "number") return raw.toLowerCase();
  return raw === "" ? null : Number(raw);
}

function sortBy(table, header, column) {
  const kind = header.dataset.kind || "text";
  const ascending = header.getAttribute("aria-sort") !== "ascending";
  for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
  header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = cellValue(a, column, kind), y = cellValue(b, column, kind);
    if (x === y) return 0;
    if (x === null || x === "") return 1;  // blanks last either way
    if (y === null || y === "") return -1;
    return (x < y ? -1 : 1) * (ascending ? 1 : -1);
  });
  body.append(...rows);
}

function makeSortable(table) {
  Array.from(table.tHead.rows[0].cells).forEach((header, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.append(...header.childNodes);
    button.addEventListener("click", () => sortBy(table, header, column));
    header.append(button);
  });
}

function readFilter(form) {
  const wanted = new URLSearchParams(location.hash.slice(1));
  for (const field of form.elements) {
    if (field.name) field.value = wanted.get(field.name) ?? "";  // what the address leaves out is any
  }
}

const LISTS = new Set(["tag", "team"]);  // a row holds several of these, separated by spaces

function matches(row, name, value) {
  if (name === "q") return row.dataset.text.includes(value.toLowerCase());
  const held = row.dataset[name] || "";
  return LISTS.has(name) ? held.split(" ").includes(value) : held === value;
}

function applyFilter(form, table) {
  const wanted = {};
  for (const field of form.elements) if (field.name && field.value) wanted[field.name] = field.value;
  let shown = 0;
  for (const row of table.tBodies[0].rows) {
    const fits = Object.entries(wanted).every(([name, value]) => matches(row, name, value));
    row.hidden = !fits;
    if (fits) shown += 1;
  }
  form.querySelector("#shown").textContent = shown + " of " + table.tBodies[0].rows.length + " items shown";
  const hash = new URLSearchParams(wanted).toString();
  history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.sortable").forEach(makeSortable);
  const form = document.getElementById("filters");
  const table = document.getElementById("items");
  if (!form || !table) return;
  form.hidden = false;
  readFilter(form);
  applyFilter(form, table);
  form.addEventListener("input", () => applyFilter(form, table));
  form.addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("hashchange", () => { readFilter(form); applyFilter(form, table); });
});
