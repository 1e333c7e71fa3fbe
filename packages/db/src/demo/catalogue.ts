import type { AssetClass, CurrencyCode } from '@tickfolio/core';

/**
 * The fixed instrument catalogue of the demo data: real listings with their exchange (ISO 10383 MIC),
 * ISIN where known with confidence, and per-source symbols. Reference prices are realistic magnitudes,
 * not quotes of any day; the generator jitters them by seed.
 *
 * The AMFI scheme codes of the Indian mutual funds are plausible six-digit codes chosen for the demo: they
 * are not a verified mapping to the named schemes, so do not fetch real NAVs by them without checking.
 */

/** How much an instrument moves week to week (a range of weekly returns in basis points). */
export type Volatility = 'high' | 'mid' | 'low' | 'bond' | 'cash';

export interface CatalogueEntry {
  readonly symbol: string;
  readonly name: string;
  readonly assetClass: AssetClass;
  readonly currency: CurrencyCode;
  readonly exchange: string | null;
  readonly ticker?: string;
  readonly isin?: string;
  readonly amfiCode?: string;
  readonly sources: Readonly<Record<string, string>>;
  /** Reference price (decimal string) in `currency`: 2 decimals for listings, 4 for NAVs. */
  readonly price: string;
  readonly volatility: Volatility;
  /** Annual dividend yield in basis points, paid in equal parts on the 15th of `months` (1–12). */
  readonly dividend?: { readonly yieldBps: number; readonly months: readonly number[] };
  /** A real split: one old share becomes `to` new ones on `date` (YYYY-MM-DD), if inside the history. */
  readonly split?: { readonly date: string; readonly from: number; readonly to: number };
}

const QUARTERLY = [2, 5, 8, 11] as const;
const Q_UK = [3, 6, 9, 12] as const;
const SEMI = [4, 10] as const;
const ANNUAL = [5] as const;

function us(
  symbol: string,
  name: string,
  exchange: 'XNAS' | 'XNYS' | 'ARCX',
  isin: string | undefined,
  price: string,
  volatility: Volatility,
  yieldBps: number,
  assetClass: AssetClass = 'stock',
  extra: Partial<CatalogueEntry> = {},
): CatalogueEntry {
  return {
    symbol,
    name,
    assetClass,
    currency: 'USD',
    exchange,
    ticker: symbol,
    ...(isin ? { isin } : {}),
    sources: { yahoo: symbol, alphavantage: symbol },
    price,
    volatility,
    ...(yieldBps > 0 ? { dividend: { yieldBps, months: QUARTERLY } } : {}),
    ...extra,
  };
}

function europe(
  symbol: string,
  name: string,
  currency: 'EUR' | 'GBP',
  exchange: 'XETR' | 'XAMS' | 'XPAR' | 'XLON',
  isin: string,
  price: string,
  volatility: Volatility,
  dividend: CatalogueEntry['dividend'] | undefined,
  assetClass: AssetClass = 'stock',
): CatalogueEntry {
  const ticker = symbol.slice(0, symbol.lastIndexOf('.'));
  const sources: Record<string, string> = { yahoo: symbol };
  // Alpha Vantage names Xetra listings TICKER.DEX and London listings TICKER.LON.
  if (exchange === 'XETR') sources.alphavantage = `${ticker}.DEX`;
  if (exchange === 'XLON') sources.alphavantage = `${ticker}.LON`;
  return {
    symbol,
    name,
    assetClass,
    currency,
    exchange,
    ticker,
    isin,
    sources,
    price,
    volatility,
    ...(dividend ? { dividend } : {}),
  };
}

function fund(
  symbol: string,
  amfiCode: string,
  name: string,
  nav: string,
  volatility: Volatility,
): CatalogueEntry {
  return {
    symbol,
    name,
    assetClass: 'mutual_fund',
    currency: 'INR',
    exchange: null,
    amfiCode,
    sources: { amfi: amfiCode },
    price: nav,
    volatility,
  };
}

export const US_CATALOGUE: readonly CatalogueEntry[] = [
  us('AAPL', 'Apple Inc.', 'XNAS', 'US0378331005', '228.50', 'mid', 45),
  us('MSFT', 'Microsoft Corporation', 'XNAS', 'US5949181045', '421.30', 'mid', 75),
  us('AMZN', 'Amazon.com, Inc.', 'XNAS', 'US0231351067', '201.20', 'high', 0),
  us('GOOGL', 'Alphabet Inc. Class A', 'XNAS', 'US02079K3059', '176.40', 'mid', 45),
  us('META', 'Meta Platforms, Inc. Class A', 'XNAS', 'US30303M1027', '598.70', 'high', 35),
  us('NVDA', 'NVIDIA Corporation', 'XNAS', 'US67066G1040', '136.90', 'high', 3, 'stock', {
    split: { date: '2024-06-10', from: 1, to: 10 },
  }),
  us('TSLA', 'Tesla, Inc.', 'XNAS', 'US88160R1014', '301.10', 'high', 0),
  us('BRK.B', 'Berkshire Hathaway Inc. Class B', 'XNYS', 'US0846707026', '471.80', 'low', 0, 'stock', {
    ticker: 'BRK.B',
    sources: { yahoo: 'BRK-B' },
  }),
  us('JPM', 'JPMorgan Chase & Co.', 'XNYS', 'US46625H1005', '241.60', 'mid', 210),
  us('V', 'Visa Inc. Class A', 'XNYS', 'US92826C8394', '331.20', 'low', 70),
  us('JNJ', 'Johnson & Johnson', 'XNYS', 'US4781601046', '155.40', 'low', 320),
  us('PG', 'The Procter & Gamble Company', 'XNYS', 'US7427181091', '165.90', 'low', 240),
  us('KO', 'The Coca-Cola Company', 'XNYS', 'US1912161007', '70.15', 'low', 290),
  us('PEP', 'PepsiCo, Inc.', 'XNAS', 'US7134481081', '150.25', 'low', 350),
  us('XOM', 'Exxon Mobil Corporation', 'XNYS', 'US30231G1022', '110.80', 'mid', 340),
  us('LLY', 'Eli Lilly and Company', 'XNYS', 'US5324571083', '802.40', 'high', 70),
  us('DIS', 'The Walt Disney Company', 'XNYS', 'US2546871060', '111.35', 'mid', 80),
  us('HD', 'The Home Depot, Inc.', 'XNYS', 'US4370761029', '398.60', 'mid', 230),
  us('MA', 'Mastercard Incorporated Class A', 'XNYS', 'US57636Q1040', '531.90', 'low', 55),
  us('UNH', 'UnitedHealth Group Incorporated', 'XNYS', 'US91324P1021', '302.75', 'mid', 250),
  us('AVGO', 'Broadcom Inc.', 'XNAS', 'US11135F1012', '231.45', 'high', 120, 'stock', {
    split: { date: '2024-07-15', from: 1, to: 10 },
  }),
  us('COST', 'Costco Wholesale Corporation', 'XNAS', 'US22160K1051', '948.20', 'low', 50),
  us('NKE', 'NIKE, Inc. Class B', 'XNYS', 'US6541061031', '74.90', 'mid', 200),
  us('ADBE', 'Adobe Inc.', 'XNAS', 'US00724F1012', '452.10', 'mid', 0),
  us('CSCO', 'Cisco Systems, Inc.', 'XNAS', 'US17275R1023', '58.40', 'low', 280),
  us('INTC', 'Intel Corporation', 'XNAS', 'US4581401001', '22.35', 'high', 0),
  us('AMD', 'Advanced Micro Devices, Inc.', 'XNAS', 'US0079031078', '151.60', 'high', 0),
  us('MCD', "McDonald's Corporation", 'XNYS', 'US5801351017', '290.30', 'low', 240),
  us('ORCL', 'Oracle Corporation', 'XNYS', 'US68389X1054', '180.75', 'mid', 110),
  us('CRM', 'Salesforce, Inc.', 'XNYS', 'US79466L3024', '271.20', 'mid', 60),
  us('ABBV', 'AbbVie Inc.', 'XNYS', 'US00287Y1091', '185.45', 'low', 330),
  us('PFE', 'Pfizer Inc.', 'XNYS', 'US7170811035', '26.10', 'mid', 650),
  us('MRK', 'Merck & Co., Inc.', 'XNYS', 'US58933Y1055', '95.60', 'low', 330),
  us('CVX', 'Chevron Corporation', 'XNYS', 'US1667641005', '150.90', 'mid', 430),
  us('BAC', 'Bank of America Corporation', 'XNYS', 'US0605051046', '44.20', 'mid', 240),
  us('SPY', 'SPDR S&P 500 ETF Trust', 'ARCX', 'US78462F1030', '581.40', 'low', 120, 'etf'),
  us('VOO', 'Vanguard S&P 500 ETF', 'ARCX', 'US9229083632', '534.60', 'low', 125, 'etf'),
  us('VTI', 'Vanguard Total Stock Market ETF', 'ARCX', 'US9229087690', '290.15', 'low', 125, 'etf'),
  us('QQQ', 'Invesco QQQ Trust, Series 1', 'XNAS', 'US46090E1038', '501.80', 'mid', 55, 'etf'),
  us('IVV', 'iShares Core S&P 500 ETF', 'ARCX', 'US4642872000', '585.30', 'low', 125, 'etf'),
  us('VXUS', 'Vanguard Total International Stock ETF', 'XNAS', 'US9219097683', '63.40', 'low', 300, 'etf'),
  us('BND', 'Vanguard Total Bond Market ETF', 'XNAS', 'US9219378356', '73.20', 'bond', 380, 'etf'),
  us(
    'DIA',
    'SPDR Dow Jones Industrial Average ETF Trust',
    'ARCX',
    'US78467X1090',
    '421.70',
    'low',
    160,
    'etf',
  ),
  us('AGG', 'iShares Core U.S. Aggregate Bond ETF', 'ARCX', 'US4642872265', '99.10', 'bond', 380, 'etf'),
  us('GLD', 'SPDR Gold Shares', 'ARCX', 'US78463V1070', '241.90', 'low', 0, 'etf'),
];

export const EUROPE_CATALOGUE: readonly CatalogueEntry[] = [
  europe('SAP.DE', 'SAP SE', 'EUR', 'XETR', 'DE0007164600', '239.40', 'mid', {
    yieldBps: 100,
    months: ANNUAL,
  }),
  europe(
    'MUV2.DE',
    'Münchener Rückversicherungs-Gesellschaft AG',
    'EUR',
    'XETR',
    'DE0008430026',
    '561.20',
    'low',
    {
      yieldBps: 330,
      months: ANNUAL,
    },
  ),
  europe('SIE.DE', 'Siemens AG', 'EUR', 'XETR', 'DE0007236101', '214.85', 'mid', {
    yieldBps: 240,
    months: [2],
  }),
  europe('ALV.DE', 'Allianz SE', 'EUR', 'XETR', 'DE0008404005', '341.60', 'low', {
    yieldBps: 450,
    months: ANNUAL,
  }),
  europe('DTE.DE', 'Deutsche Telekom AG', 'EUR', 'XETR', 'DE0005557508', '30.12', 'low', {
    yieldBps: 300,
    months: [4],
  }),
  europe('ASML.AS', 'ASML Holding N.V.', 'EUR', 'XAMS', 'NL0010273215', '702.30', 'high', {
    yieldBps: 90,
    months: QUARTERLY,
  }),
  europe('MC.PA', 'LVMH Moët Hennessy Louis Vuitton SE', 'EUR', 'XPAR', 'FR0000121014', '601.50', 'mid', {
    yieldBps: 210,
    months: SEMI,
  }),
  europe('OR.PA', "L'Oréal S.A.", 'EUR', 'XPAR', 'FR0000120321', '379.80', 'low', {
    yieldBps: 180,
    months: ANNUAL,
  }),
  europe('TTE.PA', 'TotalEnergies SE', 'EUR', 'XPAR', 'FR0000120271', '56.34', 'mid', {
    yieldBps: 560,
    months: QUARTERLY,
  }),
  europe('SAN.PA', 'Sanofi', 'EUR', 'XPAR', 'FR0000120578', '90.25', 'low', {
    yieldBps: 430,
    months: ANNUAL,
  }),
  europe('AIR.PA', 'Airbus SE', 'EUR', 'XPAR', 'NL0000235190', '170.40', 'mid', {
    yieldBps: 120,
    months: [4],
  }),
  europe(
    'IWDA.AS',
    'iShares Core MSCI World UCITS ETF USD (Acc)',
    'EUR',
    'XAMS',
    'IE00B4L5Y983',
    '100.62',
    'low',
    undefined,
    'etf',
  ),
  europe(
    'VWCE.DE',
    'Vanguard FTSE All-World UCITS ETF USD Accumulating',
    'EUR',
    'XETR',
    'IE00BK5BQT80',
    '135.18',
    'low',
    undefined,
    'etf',
  ),
  europe('AZN.L', 'AstraZeneca PLC', 'GBP', 'XLON', 'GB0009895292', '110.42', 'low', {
    yieldBps: 200,
    months: SEMI,
  }),
  europe('SHEL.L', 'Shell plc', 'GBP', 'XLON', 'GB00BP6MXD84', '27.15', 'mid', {
    yieldBps: 400,
    months: Q_UK,
  }),
  europe('HSBA.L', 'HSBC Holdings plc', 'GBP', 'XLON', 'GB0005405286', '9.52', 'mid', {
    yieldBps: 600,
    months: Q_UK,
  }),
  europe('ULVR.L', 'Unilever PLC', 'GBP', 'XLON', 'GB00B10RZP78', '46.18', 'low', {
    yieldBps: 330,
    months: Q_UK,
  }),
  europe('BP.L', 'BP p.l.c.', 'GBP', 'XLON', 'GB0007980591', '4.21', 'mid', { yieldBps: 550, months: Q_UK }),
  europe('GSK.L', 'GSK plc', 'GBP', 'XLON', 'GB00BN7SWP63', '15.06', 'low', { yieldBps: 400, months: Q_UK }),
  europe(
    'VUSA.L',
    'Vanguard S&P 500 UCITS ETF (Dist)',
    'GBP',
    'XLON',
    'IE00B3XXRP09',
    '90.35',
    'low',
    { yieldBps: 110, months: Q_UK },
    'etf',
  ),
  europe(
    'ISF.L',
    'iShares Core FTSE 100 UCITS ETF (Dist)',
    'GBP',
    'XLON',
    'IE0005042456',
    '8.61',
    'low',
    { yieldBps: 350, months: Q_UK },
    'etf',
  ),
];

export const INDIA_FUNDS_CATALOGUE: readonly CatalogueEntry[] = [
  fund('PPFCF', '122639', 'Parag Parikh Flexi Cap Fund - Direct Plan - Growth', '85.4312', 'mid'),
  fund('SBISCF', '125497', 'SBI Small Cap Fund - Direct Plan - Growth', '181.2274', 'high'),
  fund('HDFCMCOF', '118989', 'HDFC Mid-Cap Opportunities Fund - Direct Plan - Growth', '201.6485', 'high'),
  fund('UTIN50', '120716', 'UTI Nifty 50 Index Fund - Direct Plan - Growth', '165.0917', 'low'),
  fund('MIRAELC', '118834', 'Mirae Asset Large Cap Fund - Direct Plan - Growth', '119.8836', 'low'),
  fund('AXISELSS', '120503', 'Axis ELSS Tax Saver Fund - Direct Plan - Growth', '101.2473', 'mid'),
  fund('NIPSCF', '118778', 'Nippon India Small Cap Fund - Direct Plan - Growth', '179.5521', 'high'),
  fund('AXISSCF', '125354', 'Axis Small Cap Fund - Direct Plan - Growth', '114.7306', 'high'),
  fund('ICICILCF', '120586', 'ICICI Prudential Large Cap Fund - Direct Plan - Growth', '121.4058', 'low'),
  fund('SBILCF', '119598', 'SBI Large Cap Fund - Direct Plan - Growth', '95.6634', 'low'),
  fund('KOTAKFCF', '120166', 'Kotak Flexicap Fund - Direct Plan - Growth', '89.9215', 'mid'),
  fund('QUANTELSS', '120847', 'Quant ELSS Tax Saver Fund - Direct Plan - Growth', '402.5187', 'high'),
  fund('QUANTSCF', '120828', 'Quant Small Cap Fund - Direct Plan - Growth', '271.3348', 'high'),
  fund('NIPLCF', '118632', 'Nippon India Large Cap Fund - Direct Plan - Growth', '94.8102', 'low'),
  fund('ICICIEDF', '120251', 'ICICI Prudential Equity & Debt Fund - Direct Plan - Growth', '401.0763', 'low'),
  fund('HDFCBAF', '118968', 'HDFC Balanced Advantage Fund - Direct Plan - Growth', '532.4490', 'low'),
  fund('MONQ100', '145552', 'Motilal Oswal Nasdaq 100 FOF - Direct Plan - Growth', '41.2865', 'mid'),
  fund('HDFCIDX', '119063', 'HDFC Index Fund - Nifty 50 Plan - Direct Plan - Growth', '228.1944', 'low'),
  fund('SBILIQ', '119800', 'SBI Liquid Fund - Direct Plan - Growth', '4105.7731', 'cash'),
  fund('ICICILIQ', '120197', 'ICICI Prudential Liquid Fund - Direct Plan - Growth', '382.9146', 'cash'),
];

export const CATALOGUE: readonly CatalogueEntry[] = [
  ...US_CATALOGUE,
  ...EUROPE_CATALOGUE,
  ...INDIA_FUNDS_CATALOGUE,
];
