/**
 * Sets of event types, for working out which events a condition can match the
 * way libsinsp does (`ppm_event_codes`): a rule whose set is every type is
 * evaluated for every event.
 */
/** A set of event types: `names`, or every type but `names` when `all`. */
export interface EventTypes {
  readonly all: boolean;
  readonly names: ReadonlySet<string>;
}

export const ALL_TYPES: EventTypes = { all: true, names: new Set() };
export const NO_TYPES: EventTypes = { all: false, names: new Set() };

export function invertTypes(t: EventTypes): EventTypes {
  return { all: !t.all, names: t.names };
}

export function intersectTypes(a: EventTypes, b: EventTypes): EventTypes {
  // Every type, less nothing: the other set unchanged (the common case of a non-evt.type check).
  if (a.all && a.names.size === 0) return b;
  if (b.all && b.names.size === 0) return a;
  if (a.all && b.all) return { all: true, names: new Set([...a.names, ...b.names]) };
  if (a.all) return intersectTypes(b, a);
  return { all: false, names: new Set([...a.names].filter((n) => (b.all ? !b.names.has(n) : b.names.has(n)))) };
}

export function unionTypes(a: EventTypes, b: EventTypes): EventTypes {
  return invertTypes(intersectTypes(invertTypes(a), invertTypes(b)));
}
