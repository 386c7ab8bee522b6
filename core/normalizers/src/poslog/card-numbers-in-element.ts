import type { Problem } from '@poshub/model';
import { cardNumberProblem, cardNumbersIn } from '@poshub/rules';
import { pointerOf, type XmlElement } from './xml-element.ts';

// A card number has at least 13 digits: most text and attribute values of a transaction have fewer, and
// counting digits is much cheaper than the pattern search run on a day of transactions.
function mayHoldCardNumber(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++digits >= 13) return true;
  }
  return false;
}

function cardNumbersInText(text: string): string[] {
  return mayHoldCardNumber(text) ? cardNumbersIn(text) : [];
}

/**
 * Every full card number in an element tree's text and attribute values, each with the pointer of the
 * element (or `/@attribute`) that holds it. The pipeline cannot scan a streamed POSLog for us, so each
 * transaction is scanned here before anything of it is mapped; the problems never echo the number.
 */
export function cardNumbersInElement(root: XmlElement): Problem[] {
  const problems: Problem[] = [];
  const visit = (el: XmlElement): void => {
    for (const a of el.attributes) {
      for (const digits of cardNumbersInText(a.value))
        problems.push(cardNumberProblem(`${pointerOf(el)}/@${a.local}`, digits));
    }
    for (const digits of cardNumbersInText(el.text)) problems.push(cardNumberProblem(pointerOf(el), digits));
    for (const c of el.children) visit(c);
  };
  visit(root);
  return problems;
}
