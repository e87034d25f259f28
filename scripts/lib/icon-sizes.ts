/** The freedesktop hicolor sizes the Linux packages install (resources/icons/linux/<N>x<N>.png), up to 1024 for HiDPI launchers. */
export const LINUX_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const
