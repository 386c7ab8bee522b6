/** One attribute of an element: its qualified name, local name and value. */
export interface XmlAttribute {
  name: string;
  local: string;
  value: string;
}

/**
 * One element of the small tree built for a single POSLog transaction. Names are local names (prefix
 * stripped), so any namespace prefix works; `vendor` marks elements from a namespace other than ARTS.
 */
export interface XmlElement {
  name: string;
  qname: string;
  vendor: boolean;
  attributes: XmlAttribute[];
  children: XmlElement[];
  text: string;
  parent: XmlElement | undefined;
  /** 0-based position among the parent's children of the same local name. */
  index: number;
  /** Pointer of this element when it is the root of a transaction tree. */
  base?: string;
}

// Elements that repeat by nature carry their index even when they are the first of their name, so a
// pointer reads the same whatever follows in the document (the streaming parser cannot look ahead).
const ALWAYS_INDEXED = new Set(['Transaction', 'LineItem', 'Total']);

/** The local part of a qualified XML name ("acs:LoyaltyID" -> "LoyaltyID"). */
export function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/** Whether a pointer segment for this element carries its index among same-name siblings. */
export function needsIndex(name: string, index: number, siblings?: readonly XmlElement[]): boolean {
  if (ALWAYS_INDEXED.has(name) || index > 0) return true;
  let count = 0;
  for (const s of siblings ?? []) if (s.name === name && ++count > 1) return true;
  return false;
}

/**
 * Pointer of an element: local names from the document root, each followed by its 0-based index among
 * same-name siblings when it has any (`/POSLog/Transaction/1/RetailTransaction/LineItem/3/Sale/Quantity`).
 * A segment without an index is the first, and usually only, element of that name.
 */
export function pointerOf(el: XmlElement): string {
  if (!el.parent) return el.base ?? `/${el.name}`;
  const segment = needsIndex(el.name, el.index, el.parent.children) ? `${el.name}/${el.index}` : el.name;
  return `${pointerOf(el.parent)}/${segment}`;
}

/** Pointer of a child that may not exist (for "missing" problems). */
export function pointerBelow(el: XmlElement, ...names: string[]): string {
  return `${pointerOf(el)}${names.map((n) => `/${n}`).join('')}`;
}

/** First child with a local name, preferring an ARTS element over a vendor extension of the same name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  let vendor: XmlElement | undefined;
  for (const c of el.children) {
    if (c.name !== name) continue;
    if (!c.vendor) return c;
    vendor ??= c;
  }
  return vendor;
}

/** First child with any of the names, in the order the names are given. */
export function firstChild(el: XmlElement | undefined, names: readonly string[]): XmlElement | undefined {
  for (const name of names) {
    const found = child(el, name);
    if (found) return found;
  }
  return undefined;
}

/** Every child with one of the local names, in document order. */
export function childrenNamed(el: XmlElement | undefined, ...names: string[]): XmlElement[] {
  return el ? el.children.filter((c) => names.includes(c.name)) : [];
}

/** The trimmed text of an element; undefined when absent or blank. */
export function textOf(el: XmlElement | undefined): string | undefined {
  const text = el?.text.trim();
  return text ? text : undefined;
}

/** The trimmed text of a child, following a path of local names. */
export function childText(el: XmlElement | undefined, ...path: string[]): string | undefined {
  let at = el;
  for (const name of path) at = child(at, name);
  return textOf(at);
}

/** An attribute by local name, preferring the unprefixed one. */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  if (!el) return undefined;
  let prefixed: string | undefined;
  for (const a of el.attributes) {
    if (a.local !== name) continue;
    if (a.name === name) return a.value;
    prefixed ??= a.value;
  }
  return prefixed;
}

/** First descendant (depth first, document order) with a local name. */
export function descendant(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) {
    if (c.name === name) return c;
    const deeper = descendant(c, name);
    if (deeper) return deeper;
  }
  return undefined;
}

/** Booleans as POSLog producers write them: "true"/"false", "1"/"0", "T"/"F", "yes"/"no". */
export function parseFlag(value: string | undefined): boolean | undefined {
  const v = value?.trim().toLowerCase();
  if (v === undefined || v === '') return undefined;
  if (['true', 't', '1', 'yes', 'y'].includes(v)) return true;
  if (['false', 'f', '0', 'no', 'n'].includes(v)) return false;
  return undefined;
}

/** A flag written either as an attribute or as a child element (schemas and producers differ). */
export function flag(el: XmlElement | undefined, ...names: string[]): boolean | undefined {
  for (const name of names) {
    const value = parseFlag(attr(el, name) ?? childText(el, name));
    if (value !== undefined) return value;
  }
  return undefined;
}
