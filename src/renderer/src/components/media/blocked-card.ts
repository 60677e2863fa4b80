/**
 * A card that cannot be chosen: a grey ground and dimmed title, not opacity, so its reason in
 * red stays readable in both themes.
 */
export const BLOCKED_CARD_STYLE = { cursor: 'not-allowed', backgroundColor: 'var(--mantine-color-default-hover)' } as const
