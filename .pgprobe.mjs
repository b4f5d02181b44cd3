import { PGlite } from '@electric-sql/pglite';
let t=Date.now(); const a=new PGlite('/tmp/rr/pgd'); await a.query('select 1'); console.log('fresh', Date.now()-t); await a.close();
t=Date.now(); const b=new PGlite('/tmp/rr/pgd'); await b.query('select 1'); console.log('reopen', Date.now()-t); await b.close();
t=Date.now(); const c=new PGlite(); await c.query('select 1'); console.log('memory', Date.now()-t); await c.close();
