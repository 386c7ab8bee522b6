// Adyen's payment method codes for the schemes seen at terminals; other codes are kept as Adyen wrote them.
const BRANDS: Record<string, string> = {
  mc: 'mastercard',
  mccredit: 'mastercard',
  mcdebit: 'mastercard',
  maestro: 'maestro',
  visa: 'visa',
  visadebit: 'visa',
  vpay: 'visa',
  electron: 'visa',
  amex: 'amex',
  diners: 'diners',
  discover: 'discover',
  jcb: 'jcb',
  cup: 'unionpay',
  cartebancaire: 'cartes_bancaires',
  interac_card: 'interac',
  eftpos_australia: 'eftpos',
  girocard: 'girocard',
  bcmc: 'bancontact',
};

/** A card brand as one canonical lowercase name ("mc" becomes "mastercard"). */
export function cardBrandName(code: string): string {
  const key = code.trim().toLowerCase();
  return BRANDS[key] ?? key;
}
