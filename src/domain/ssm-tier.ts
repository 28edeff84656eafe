/** SSM parameter tiers; Advanced holds up to 8 KB and cannot go back to Standard. */
export type SsmTier = 'Standard' | 'Advanced' | 'Intelligent-Tiering';
export const SSM_TIERS: readonly SsmTier[] = ['Standard', 'Advanced', 'Intelligent-Tiering'];
