import {
  CatalogPrice,
  CatalogProduct,
  CustomerUpsert,
  type EventType,
  Gtin,
  normalizeDecimal,
  type Problem,
  parseMoney,
  StockLevel,
} from '@poshub/model';
import type { z } from 'zod';
import type { ImportFormat, ImportType } from './import-tables.ts';

/** The subject of chain-wide rows (catalog, price lists, customers): every store. */
export const CHAIN_WIDE = '*';

/** A CSV row as the header names it; empty cells are absent. */
export type CsvRecord = Record<string, string>;

/** One kind of import: its canonical row, the batch event it travels in, and how CSV columns map to it. */
export interface ImportKind {
  type: ImportType;
  eventType: EventType;
  /** The canonical row every input row must become. */
  row: z.ZodType;
  /** Whether every row goes to every store (subject "*"): a client limited to some stores may not send it. */
  chainWide: boolean;
  /** The store a valid row belongs to, or "*". */
  subjectOf(row: unknown): string;
  /** The field naming the store, for a row refused because the client may not write for that store. */
  storeField: string | undefined;
  /** CSV columns this kind knows, and the ones every CSV file must have. */
  csvColumns: readonly string[];
  csvRequired: readonly string[];
  /** A CSV record as a candidate canonical row, or the problems that stop it. */
  fromCsv(record: CsvRecord): { ok: true; candidate: unknown } | { ok: false; problems: Problem[] };
  /** The CSV column a problem at `path` of the canonical row is about. */
  csvColumnOf(path: readonly PropertyKey[]): string;
  /** Fills what the import itself knows (a customer's source) into an NDJSON row before validation. */
  complete?(candidate: unknown, source: { system: string; format: string }): unknown;
  /** Values that are known not to be card numbers (a barcode in the gtins list with a valid check digit). */
  notACard?(at: readonly PropertyKey[], node: unknown): boolean;
}

const problem = (pointer: string, code: string, message: string): Problem => ({
  code,
  pointer,
  message,
  severity: 'error',
});

const firstSegment = (path: readonly PropertyKey[]) => String(path[0] ?? '');

/** Splits a list cell ("4006381333931|4006381333948"; spaces or | between items). */
function listCell(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text.split(/[|\s]+/).filter(Boolean);
}

const product: ImportKind = {
  type: 'product',
  eventType: 'catalog.products.imported.v1',
  row: CatalogProduct,
  chainWide: true,
  subjectOf: () => CHAIN_WIDE,
  storeField: undefined,
  csvColumns: ['sku', 'gtins', 'name', 'description', 'category', 'taxCode', 'unitOfMeasure', 'status'],
  csvRequired: ['sku', 'name', 'category', 'taxCode', 'unitOfMeasure'],
  fromCsv: (r) => ({
    ok: true,
    candidate: {
      sku: r.sku,
      gtins: listCell(r.gtins),
      name: r.name,
      description: r.description,
      category: r.category,
      taxCode: r.taxCode,
      unitOfMeasure: r.unitOfMeasure,
      status: r.status,
    },
  }),
  csvColumnOf: firstSegment,
  notACard: (at, node) =>
    at.length === 2 && at[0] === 'gtins' && typeof node === 'string' && Gtin.safeParse(node).success,
};

const price: ImportKind = {
  type: 'price',
  eventType: 'catalog.prices.imported.v1',
  row: CatalogPrice,
  chainWide: false,
  subjectOf: (row) => (row as CatalogPrice).storeId ?? CHAIN_WIDE,
  storeField: 'storeId',
  csvColumns: ['sku', 'storeId', 'priceListId', 'amount', 'currency', 'effectiveFrom', 'effectiveTo'],
  csvRequired: ['sku', 'amount', 'currency', 'effectiveFrom'],
  fromCsv(r) {
    // The amount is decimal text in major units ("12.99"), turned into exact minor units without a float.
    let amount: unknown;
    if (r.amount !== undefined && r.currency !== undefined) {
      const money = parseMoney(r.amount, r.currency);
      if (!money.ok) {
        const pointer = money.error.code === 'money.unknown_currency' ? '/currency' : '/amount';
        return { ok: false, problems: [problem(pointer, money.error.code, money.error.message)] };
      }
      amount = money.value;
    }
    const { amount: _a, currency: _c, ...rest } = r;
    return { ok: true, candidate: { ...rest, amount } };
  },
  csvColumnOf: (path) => (path[0] === 'amount' && path[1] === 'currency' ? 'currency' : firstSegment(path)),
};

const stock: ImportKind = {
  type: 'stock',
  eventType: 'inventory.levels.imported.v1',
  row: StockLevel,
  chainWide: false,
  subjectOf: (row) => (row as StockLevel).locationId,
  storeField: 'locationId',
  csvColumns: ['sku', 'locationId', 'onHand', 'unitOfMeasure', 'asOf'],
  csvRequired: ['sku', 'locationId', 'onHand', 'asOf'],
  fromCsv: (r) => ({
    ok: true,
    candidate: {
      ...r,
      onHand: r.onHand === undefined ? undefined : (normalizeDecimal(r.onHand) ?? r.onHand),
    },
  }),
  csvColumnOf: firstSegment,
};

const BOOLEAN_CELLS: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
};

const ADDRESS_COLUMNS = ['addressLines', 'city', 'region', 'postalCode', 'country'] as const;

const customer: ImportKind = {
  type: 'customer',
  eventType: 'customers.imported.v1',
  row: CustomerUpsert,
  chainWide: true,
  subjectOf: () => CHAIN_WIDE,
  storeField: undefined,
  csvColumns: [
    'customerId',
    'givenName',
    'familyName',
    'email',
    'phone',
    'loyaltyAccountId',
    'marketingConsent',
    ...ADDRESS_COLUMNS,
  ],
  csvRequired: ['customerId'],
  fromCsv(r) {
    let consent: boolean | undefined;
    if (r.marketingConsent !== undefined) {
      consent = BOOLEAN_CELLS[r.marketingConsent.trim().toLowerCase()];
      if (consent === undefined) {
        return {
          ok: false,
          problems: [
            problem('/marketingConsent', 'csv.not_a_boolean', 'must be true, false, yes, no, 1 or 0'),
          ],
        };
      }
    }
    const hasAddress = ADDRESS_COLUMNS.some((c) => r[c] !== undefined);
    return {
      ok: true,
      candidate: {
        customerId: r.customerId,
        givenName: r.givenName,
        familyName: r.familyName,
        email: r.email,
        phone: r.phone,
        loyaltyAccountId: r.loyaltyAccountId,
        marketingConsent: consent,
        addresses: hasAddress
          ? [
              {
                lines: r.addressLines?.split('|').map((l) => l.trim()) ?? [],
                city: r.city,
                region: r.region,
                postalCode: r.postalCode,
                country: r.country,
                default: true,
              },
            ]
          : [],
      },
    };
  },
  csvColumnOf: (path) =>
    path[0] === 'addresses'
      ? path[2] === 'lines'
        ? 'addressLines'
        : String(path[2] ?? 'addressLines')
      : firstSegment(path),
  complete(candidate, source) {
    if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) return candidate;
    if ('source' in candidate) return candidate;
    return {
      ...candidate,
      source: { system: source.system, format: source.format, ids: [], timestamps: {} },
    };
  },
};

/** Every import kind, by the `type` a job names. */
export const IMPORT_KINDS: Readonly<Record<ImportType, ImportKind>> = { product, price, stock, customer };

/** The import types, as a job names them. */
export const IMPORT_TYPES = Object.keys(IMPORT_KINDS) as ImportType[];

/** The formats a file may be written in. */
export const IMPORT_FORMATS: readonly ImportFormat[] = ['ndjson', 'csv'];
