import type { TrackingEventCode } from '../../tracking/scan-codes';

/** Spanish descriptions of the scan codes, for the API's notices and the web portal alike. */
export const SCANS_ES: Readonly<Record<TrackingEventCode, string>> = {
  label_created: 'Etiqueta de envío creada, esperando el artículo',
  accepted: 'Aceptado en la oficina de correos',
  picked_up: 'Recogido por el cartero',
  processed: 'Procesado en un centro',
  arrived_at_facility: 'Llegó a un centro',
  departed_facility: 'Salió de un centro',
  in_transit: 'En tránsito hacia el siguiente centro',
  out_for_delivery: 'En reparto',
  available_for_pickup: 'Llegó a la oficina de correos, disponible para recoger',
  delivered: 'Entregado',
  delivery_attempted: 'Intento de entrega, se dejó un aviso',
  returned_to_sender: 'Devuelto al remitente',
  exception: 'Incidencia en la entrega',
  redelivery_scheduled: 'Nueva entrega programada',
  intercepted: 'Interceptado a petición del remitente',
  redirected: 'Desviado a una nueva dirección a petición del remitente',
  held_at_post_office: 'Retenido en la oficina de correos a petición del cliente',
};
