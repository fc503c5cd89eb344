// Facts about the area every screen shares.

/** The area's time zone: its calendar days (the heatmap's from/to, a roster's week). */
export const ZONE = 'Asia/Shanghai';
