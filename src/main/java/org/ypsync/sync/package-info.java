/**
 * Pure sync planning: desired state (from the NetYpareo cache) + known state (links: NetYpareo key to Moodle id and
 * what ypsync last wrote) in, a plan of actions out. The same plan is executed by the Camel glue or only shown by
 * --dry-run. This package imports no Camel, HTTP, SQL or JSON library, and nothing of the other ypsync packages.
 */
package org.ypsync.sync;
