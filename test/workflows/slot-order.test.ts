import { describe, expect, it } from 'vitest';
import { slotsInTurn } from '../../workflows/onboarding/slot-order.ts';

const slots = Array.from({ length: 30 }, (_, n) => `slot-${n}`);

describe('the order an onboarding tries the earliest free slots in', () => {
  it('goes round the whole list from one place, the same for the same onboarding', () => {
    const order = slotsInTurn('onb-1', slots);
    expect([...order].sort()).toEqual([...slots].sort());
    const start = slots.indexOf(order[0]!);
    expect(order).toEqual([...slots.slice(start), ...slots.slice(0, start)]);
    expect(slotsInTurn('onb-1', slots)).toEqual(order);
    expect(slotsInTurn('onb-1', [])).toEqual([]);
  });

  it('spreads onboardings running together over the list rather than all at its head', () => {
    const firstChoices = new Set(Array.from({ length: 20 }, (_, n) => slotsInTurn(`onb-${n}`, slots)[0]));
    expect(firstChoices.size).toBeGreaterThan(10);
  });
});
