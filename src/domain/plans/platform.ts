/**
 * What the platform counts, per category: the semantics' list plus KAZOO's own device types and number
 * classifications. Used only for warnings: a plan may name anything, but names outside this list never get
 * counted (only manual quantities reach them).
 */
export const PLATFORM_ITEMS: Readonly<Record<string, readonly string[]>> = {
  devices: ['sip_device', 'softphone', 'cellphone', 'landline', 'smartphone', 'mobile', 'fax', 'sip_uri'],
  phone_numbers: ['did_us', 'tollfree_us', 'toll_us', 'emergency', 'international', 'caribbean', 'unknown'],
  number_services: ['e911', 'inbound_cnam', 'outbound_cnam', 'port', 'local'],
  limits: ['inbound_trunks', 'outbound_trunks', 'twoway_trunks'],
  users: ['user', 'admin'],
  ips: ['dedicated'],
  branding: ['whitelabel'],
  ledgers: ['per-minute-voip'],
};

export function isPlatformCategory(category: string): boolean {
  return Object.prototype.hasOwnProperty.call(PLATFORM_ITEMS, category);
}

export function isPlatformItem(category: string, item: string): boolean {
  return isPlatformCategory(category) && PLATFORM_ITEMS[category]!.includes(item);
}
