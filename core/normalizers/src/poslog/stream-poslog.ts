import type { Problem } from '@poshub/model';
import { cardNumberProblem, cardNumbersIn } from '@poshub/rules';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { localName, needsIndex, pointerOf, type XmlElement } from './xml-element.ts';

/** What a POSLog document says about itself outside its transactions. */
export interface PoslogDocumentInfo {
  /** Local name of the root element (POSLog, or Transaction for a single-transaction document). */
  rootName: string;
  /** POSLog version from the root's MajorVersion/MinorVersion, when given. */
  version: string | undefined;
  /** Producing system guessed from the declared namespaces ("ncr-acs"), else "poslog". */
  system: string;
  /** Short text children of the root seen before a transaction (some producers put RetailStoreID there). */
  rootFields: Map<string, string>;
}

/** One unit read from a POSLog stream: a complete transaction tree, or problems found outside one. */
export type PoslogUnit =
  | { kind: 'transaction'; element: XmlElement; document: PoslogDocumentInfo }
  | { kind: 'problems'; problems: Problem[]; unit?: string };

const ARTS_NAMESPACE = /nrf-arts\.org|IXRetail|arts\.org|omg\.org\/spec\/(arts|poslog)/i;

/** True for a namespace URI of ARTS POSLog (2.x and 6.x; with or without trailing slash). */
export function isArtsNamespace(uri: string | undefined): boolean {
  return uri !== undefined && ARTS_NAMESPACE.test(uri);
}

interface OpenFrame {
  name: string;
  pointer: string;
  childCounts: Map<string, number>;
  text: string;
  hasChildren: boolean;
}

// Text kept for a leaf child of the root, long enough for any id or date and no more.
const ROOT_FIELD_MAX = 200;

function problem(code: string, pointer: string, message: string): Problem {
  return { code, pointer, message, severity: 'error' };
}

/**
 * Streams a POSLog document: feeds the chunks to a SAX parser and builds a small element tree for each
 * <Transaction> only, yielding it as soon as it closes and keeping nothing of it afterwards, so memory
 * stays flat however many transactions the document holds. Outside transactions nothing is kept but the
 * open-element path; text and attributes there are only checked for card numbers. Malformed XML ends the
 * stream with an `xml.invalid` problem (line and column); transactions before it have been yielded.
 */
export async function* streamPoslog(chunks: AsyncIterable<string>): AsyncGenerator<PoslogUnit> {
  // Namespaces are resolved here, not by saxes: with saxes' own resolution an undeclared vendor prefix is
  // a fatal error, while for us it is only an extension to ignore.
  const parser = new SaxesParser({ xmlns: false, position: true });
  const queue: PoslogUnit[] = [];
  const frames: OpenFrame[] = [];
  const scopes: ReadonlyMap<string, string>[] = [];
  const document: PoslogDocumentInfo = {
    rootName: '',
    version: undefined,
    system: 'poslog',
    rootFields: new Map(),
  };
  let txnRoot: XmlElement | undefined;
  let current: XmlElement | undefined;
  let transactions = 0;
  let failed = false;

  const here = (): string => (current ? pointerOf(current) : (frames.at(-1)?.pointer ?? ''));

  const scanOutside = (text: string, pointer: string): void => {
    const found = cardNumbersIn(text).map((digits) => cardNumberProblem(pointer, digits));
    if (found.length > 0) queue.push({ kind: 'problems', problems: found, unit: pointer });
  };

  const onText = (text: string): void => {
    if (failed) return;
    if (current) {
      current.text += text;
      return;
    }
    const frame = frames.at(-1);
    if (!frame) return;
    scanOutside(text, frame.pointer);
    if (!frame.hasChildren && frame.text.length < ROOT_FIELD_MAX) frame.text += text;
  };

  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (failed) return;
    const parentScope = scopes.at(-1) ?? new Map<string, string>();
    let scope = parentScope;
    const attributes: XmlElement['attributes'] = [];
    for (const [name, value] of Object.entries(tag.attributes)) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        if (scope === parentScope) scope = new Map(parentScope);
        (scope as Map<string, string>).set(name === 'xmlns' ? '' : name.slice(6), value);
      } else {
        attributes.push({ name, local: localName(name), value });
      }
    }
    scopes.push(scope);
    const colon = tag.name.indexOf(':');
    const prefix = colon < 0 ? '' : tag.name.slice(0, colon);
    const uri = scope.get(prefix);
    // A prefixed element outside the ARTS namespace (or with an undeclared prefix) is a vendor extension;
    // an unprefixed one is ARTS unless its default namespace says otherwise.
    const vendor = prefix !== '' ? !isArtsNamespace(uri) : Boolean(uri) && !isArtsNamespace(uri);
    const name = localName(tag.name);

    if (current) {
      let index = 0;
      for (const c of current.children) if (c.name === name) index++;
      const el: XmlElement = {
        name,
        qname: tag.name,
        vendor,
        attributes,
        children: [],
        text: '',
        parent: current,
        index,
      };
      current.children.push(el);
      current = el;
      return;
    }

    const parent = frames.at(-1);
    if (!parent) {
      document.rootName = name;
      const major = attributes.find((a) => a.local === 'MajorVersion')?.value.trim();
      const minor = attributes.find((a) => a.local === 'MinorVersion')?.value.trim();
      if (major) document.version = minor ? `${major}.${minor}` : major;
      if ([...scope.values()].some((ns) => /ncr\.com/i.test(ns))) document.system = 'ncr-acs';
    }
    const index = parent ? (parent.childCounts.get(name) ?? 0) : 0;
    if (parent) {
      parent.childCounts.set(name, index + 1);
      parent.hasChildren = true;
    }
    const segment = parent && needsIndex(name, index) ? `${name}/${index}` : name;
    const pointer = `${parent?.pointer ?? ''}/${segment}`;

    if (name === 'Transaction') {
      transactions++;
      txnRoot = {
        name,
        qname: tag.name,
        vendor,
        attributes,
        children: [],
        text: '',
        parent: undefined,
        index,
        base: parent ? `${parent.pointer}/Transaction/${index}` : '/Transaction',
      };
      current = txnRoot;
      return;
    }
    for (const a of attributes) scanOutside(a.value, `${pointer}/@${a.local}`);
    frames.push({ name, pointer, childCounts: new Map(), text: '', hasChildren: false });
  });

  parser.on('text', onText);
  parser.on('cdata', onText);

  parser.on('closetag', () => {
    if (failed) return;
    scopes.pop();
    if (current) {
      if (current === txnRoot) {
        queue.push({ kind: 'transaction', element: txnRoot, document });
        txnRoot = undefined;
        current = undefined;
      } else {
        current = current.parent;
      }
      return;
    }
    const frame = frames.pop();
    // Leaf children of the root (RetailStoreID, BusinessDayDate...) serve as defaults for transactions.
    if (frame && frames.length === 1 && !frame.hasChildren) {
      const text = frame.text.trim();
      if (text && text.length < ROOT_FIELD_MAX && !document.rootFields.has(frame.name))
        document.rootFields.set(frame.name, text);
    }
  });

  parser.on('error', (error: Error) => {
    if (failed) return;
    failed = true;
    const reason = error.message.replace(/^(?:[^:]*:)?\d+:\d+:\s*/, '');
    const pointer = here();
    queue.push({
      kind: 'problems',
      problems: [
        problem(
          'xml.invalid',
          pointer,
          `not well-formed XML at line ${parser.line}, column ${parser.column}: ${reason}`,
        ),
      ],
      unit: pointer || undefined,
    });
  });

  for await (const chunk of chunks) {
    parser.write(chunk);
    while (queue.length > 0) yield queue.shift()!;
    if (failed) return;
  }
  parser.close();
  while (queue.length > 0) yield queue.shift()!;
  if (!failed && transactions === 0) {
    yield {
      kind: 'problems',
      problems: [
        problem(
          'poslog.no_transactions',
          document.rootName ? `/${document.rootName}` : '',
          'the POSLog document holds no Transaction element',
        ),
      ],
    };
  }
}
