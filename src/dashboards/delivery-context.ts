/**
 * What a delivery needs to render its object. Not exported from the package:
 * only the internal `_render` of a delivery takes it.
 */
export interface DeliveryContext {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly uid: string;
  /** The dashboard JSON, rendered at synthesis time (so panels added later are included). */
  readonly json: string;
}
