import type { DateWindow } from '@squad/domain';

/** A claim's valid time as its event keeps it. */
interface ValidTime {
  readonly effectiveOnApprox?: boolean;
  readonly effectiveBetween?: DateWindow;
}

/** How an answer marks a day it took from a claim's valid time: `<field>Approx`, and `<field>Between` for a window. */
export type ApproximateDay<K extends string> = { readonly [P in `${K}Approx`]?: true } & {
  readonly [P in `${K}Between`]?: DateWindow;
};

/**
 * The marks of a fact's day when its claim dated it approximately ("early July", "back before
 * 4 September"), to spread beside the day under `field`: every answer showing that day then says
 * it is approximate, and gives the window when the source gave one. Nothing when the day is exact.
 */
export function approximateDay<K extends string>(field: K, data: ValidTime): ApproximateDay<K> {
  if (data.effectiveBetween !== undefined)
    return { [`${field}Approx`]: true, [`${field}Between`]: data.effectiveBetween } as ApproximateDay<K>;
  return data.effectiveOnApprox === true ? approximateOnly(field) : {};
}

/** One shared mark per field: every imported move is approximate, and a rebuild files 300,000 of them. */
const approximateMarks = new Map<string, object>();
function approximateOnly<K extends string>(field: K): ApproximateDay<K> {
  let marks = approximateMarks.get(field);
  if (!marks) approximateMarks.set(field, (marks = Object.freeze({ [`${field}Approx`]: true })));
  return marks;
}
