/** What pg_dump and pg_restore say when the server or the network went away: a connection failure, not a tool's. */
export const CONNECTION_LOST =
  /server closed the connection|connection to server .* failed|could not receive data from server|terminating connection|no connection to the server|SSL SYSCALL error|could not connect to server|the database system is shutting down/i;
