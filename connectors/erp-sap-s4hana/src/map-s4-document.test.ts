import { canonicalFixtures } from '@poshub/sdk/testing';
import { describe, expect, it } from 'vitest';
import { mapS4Document, referenceOf } from './map-s4-document.ts';
import { S4HanaConfig } from './s4hana-config.ts';
import { s4Config } from './s4hana-fixtures.ts';

const config = S4HanaConfig.parse(s4Config('https://my123456-api.s4hana.cloud.sap'));
const [sale, refund] = canonicalFixtures();

describe('mapS4Document (canonical fixtures)', () => {
  it('maps a sale to a sales order with items, plant and the POS net price as a manual condition', () => {
    expect(mapS4Document(sale!, config)).toEqual({
      ok: true,
      document: {
        service: 'API_SALES_ORDER_SRV',
        entitySet: 'A_SalesOrder',
        reference: 'POS-0042-03-20260314-1187',
        body: {
          SalesOrderType: 'OR',
          SalesOrganization: '1010',
          DistributionChannel: '10',
          OrganizationDivision: '00',
          SoldToParty: '1000001',
          PurchaseOrderByCustomer: 'POS-0042-03-20260314-1187',
          TransactionCurrency: 'USD',
          to_Item: [
            {
              SalesOrderItem: '10',
              Material: 'TSHIRT-M-BLU',
              RequestedQuantity: '2',
              ProductionPlant: '1010',
              to_PricingElement: [
                { ConditionType: 'PMP0', ConditionRateValue: '22.50', ConditionCurrency: 'USD' },
              ],
            },
            {
              SalesOrderItem: '20',
              Material: 'APPLE-HC',
              RequestedQuantity: '0.42',
              RequestedQuantityISOUnit: 'KGM',
              ProductionPlant: '1010',
              to_PricingElement: [
                { ConditionType: 'PMP0', ConditionRateValue: '1.26', ConditionCurrency: 'USD' },
              ],
            },
          ],
        },
      },
    });
  });

  it('maps a return to a customer return that knows its sale by reference', () => {
    const mapped = mapS4Document(refund!, config);
    if (!mapped.ok) throw new Error(mapped.message);
    expect(mapped.document).toMatchObject({
      service: 'API_CUSTOMER_RETURN_SRV',
      entitySet: 'A_CustomerReturn',
      originalReference: 'POS-0042-03-20260314-1187',
      body: {
        CustomerReturnType: 'CBAR',
        SDDocumentReason: '101',
        to_Item: [{ Material: 'APPLE-HC', Plant: '1010' }],
      },
    });
  });

  it('keeps the customer reference within its 35 characters', () => {
    expect(
      referenceOf({
        storeId: 'STORE-LONG-NAME-0042',
        workstationId: 'WS-17',
        businessDay: '2026-03-14',
        sequence: '123456789',
      }),
    ).toHaveLength(35);
  });
});
